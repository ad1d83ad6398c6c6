package io.qualgranter.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.qualgranter.grant.MTurkClientFactory;
import io.qualgranter.job.GranterProperties;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * The floor of a single grant without Spring (issue 14, stop 44): what the JVM, the SDK and H2 cost when a grant
 * makes the job's calls (GetAccountBalance, then AssociateQualificationWithWorker) through the job's own client
 * ({@link MTurkClientFactory}, its default retries) while a second thread opens an H2 file database and commits 8
 * inserts, about the job repository's writes for a run and its steps. Not the job: a measurement to set beside
 * {@code ops/bench-startup}'s one grant and the AWS CLI (567-624 ms with its own AOT cache on Java 25, the CLI in
 * turn 576-683 ms; the job 1,160-1,246 ms: ops/BENCHMARKS.md "stop 44").
 *
 * <pre>
 * jar cf /tmp/floor.jar -C target/test-classes io/qualgranter/bench/SingleGrantFloor.class
 * APP=...   # the start-up cache's extracted jar: $GRANTER_HOME/cache/(jar+JDK)/app, made by ops/granter
 * CP=/tmp/floor.jar:$(find "$APP" -name '*.jar' | tr '\n' :)   # jars only: the AOT cache takes no directory
 * export AWS_ACCESS_KEY_ID=AKIDFLOOR0000001 AWS_SECRET_ACCESS_KEY=floor/secret
 * java -XX:AOTCacheOutput=/tmp/floor.aot -cp $CP io.qualgranter.bench.SingleGrantFloor ENDPOINT A0000000TRAIN /tmp/floor-db
 * time java -XX:AOTCache=/tmp/floor.aot -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp $CP \
 *     io.qualgranter.bench.SingleGrantFloor ENDPOINT A000000000001 /tmp/floor-db
 * </pre>
 */
public final class SingleGrantFloor {

    private SingleGrantFloor() {
    }

    /** @param args the stand-in's endpoint, a worker id, an H2 file path */
    public static void main(String[] args) throws Exception {
        Thread repository = new Thread(() -> {
            try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + args[2], "sa", "")) {
                connection.createStatement().execute("create table if not exists runs"
                        + " (id bigint auto_increment primary key, worker varchar(64), at timestamp)");
                for (int i = 0; i < 8; i++) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "insert into runs (worker, at) values (?, current_timestamp)")) {
                        insert.setString(1, args[1]);
                        insert.executeUpdate();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        repository.start();
        // the job's own client (SDK default credentials chain, Apache client, standard retries), as a path without
        // Spring would build it
        try (MTurkClient client = MTurkClientFactory.create(URI.create(args[0]), GranterProperties.defaultRetry(), 1)) {
            client.getAccountBalance(request -> { });
            client.associateQualificationWithWorker(request -> request.workerId(args[1])
                    .qualificationTypeId("3BENCHTYPE0000000000000001").integerValue(1).sendNotification(false));
        }
        repository.join();
        System.out.println("granted " + args[1]);
    }
}
