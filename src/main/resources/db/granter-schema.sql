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
