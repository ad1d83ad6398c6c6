-- The granter's own tables, beside Spring Batch's in the job repository. Portable SQL (H2 2.x and
-- PostgreSQL 15); run at every start, so only CREATE ... IF NOT EXISTS.

-- What earlier runs granted, per endpoint, qualification type and worker (ledger/GrantLedger).
-- PENDING_VALUE is set, in its own committed transaction, just before a call is sent, and cleared
-- with the chunk that records the call's outcome: a row still pending after a crash is "in doubt".
CREATE TABLE IF NOT EXISTS GRANTER_LEDGER (
    ENDPOINT              VARCHAR(255) NOT NULL,
    QUALIFICATION_TYPE_ID VARCHAR(64)  NOT NULL,
    WORKER_ID             VARCHAR(64)  NOT NULL,
    INTEGER_VALUE         INTEGER,
    JOB_EXECUTION_ID      BIGINT,
    GRANTED_AT            TIMESTAMP,
    PENDING_VALUE         INTEGER,
    PENDING_EXECUTION_ID  BIGINT,
    PENDING_SINCE         TIMESTAMP,
    PRIMARY KEY (ENDPOINT, QUALIFICATION_TYPE_ID, WORKER_ID)
);
-- SOURCE 'SERVICE': the pair was listed as held at the service (holders/ListHoldersTasklet), not granted
-- by this tool; null: granted by this tool.
ALTER TABLE GRANTER_LEDGER ADD COLUMN IF NOT EXISTS SOURCE VARCHAR(10);

-- Who is running what (job/RunLease): one row per lease scope, kept alive by a heartbeat.
CREATE TABLE IF NOT EXISTS GRANTER_RUN_LEASE (
    LEASE_SCOPE      VARCHAR(100)  NOT NULL PRIMARY KEY,
    OWNER_TOKEN      VARCHAR(36)   NOT NULL,
    HOST_NAME        VARCHAR(255)  NOT NULL,
    PID              BIGINT        NOT NULL,
    PROCESS_START_MS BIGINT,
    JOB_EXECUTION_ID BIGINT,
    DESCRIPTION      VARCHAR(1000),
    ACQUIRED_AT      TIMESTAMP     NOT NULL,
    HEARTBEAT_AT     TIMESTAMP     NOT NULL
);

-- Every row's outcome, per run (job instance), committed with the chunk that produced it: the run's
-- state lives here, not in files, so a resume on any host, with any $GRANTER_HOME, carries all of it.
-- The plan step writes one block per chunk: the chunk's rows in input order, each as its report line
-- (deflated), a placeholder line "N,,,,," for a row that needs a call. Blocks of one run never
-- overlap: FIRST_ITEM is the index of the block's first row among all rows of the input.
CREATE TABLE IF NOT EXISTS GRANTER_OUTCOME_BLOCK (
    JOB_INSTANCE_ID   BIGINT        NOT NULL,
    FIRST_ITEM        BIGINT        NOT NULL,
    ITEM_COUNT        INTEGER       NOT NULL,
    QUEUED_COUNT      INTEGER       NOT NULL,
    OUTCOME_COUNTS    VARCHAR(400)  NOT NULL,
    JOB_EXECUTION_ID BIGINT        NOT NULL,
    BODY              BYTEA         NOT NULL,
    PRIMARY KEY (JOB_INSTANCE_ID, FIRST_ITEM)
);

-- The rows of a run that need a call (the grant step's items), one each, with the outcome the grant
-- step recorded (null until then; FAILED rows are read again by a resumed execution).
CREATE TABLE IF NOT EXISTS GRANTER_RUN_ROW (
    JOB_INSTANCE_ID       BIGINT        NOT NULL,
    ITEM                  BIGINT        NOT NULL,
    LINE                  BIGINT        NOT NULL,
    WORKER_ID             VARCHAR(64)   NOT NULL,
    QUALIFICATION_TYPE_ID VARCHAR(64)   NOT NULL,
    INTEGER_VALUE         INTEGER       NOT NULL,
    SEND_NOTIFICATION     BOOLEAN       NOT NULL,
    NOTE                  VARCHAR(1000),
    OUTCOME               VARCHAR(20),
    DETAIL                VARCHAR(1000),
    PRIMARY KEY (JOB_INSTANCE_ID, ITEM)
);
CREATE UNIQUE INDEX IF NOT EXISTS GRANTER_RUN_ROW_LINE ON GRANTER_RUN_ROW (JOB_INSTANCE_ID, LINE, QUALIFICATION_TYPE_ID);
-- the holder listing settles a run's rows by worker
CREATE INDEX IF NOT EXISTS GRANTER_RUN_ROW_WORKER ON GRANTER_RUN_ROW (JOB_INSTANCE_ID, WORKER_ID);
