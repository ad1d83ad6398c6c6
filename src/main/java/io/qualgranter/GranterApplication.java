package io.qualgranter;

import java.io.IOException;
import java.nio.file.Path;

import io.qualgranter.job.EnvironmentFault;
import io.qualgranter.job.LogFileFallback;
import io.qualgranter.report.PrivateFiles;
import org.slf4j.LoggerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * The Spring context behind the commands: job repository, the grant job, the runner.
 *
 * <p>Auto-configurations the application does not use are left out, for start-up (README, "Start-up
 * time"): nothing here is advised or annotated {@code @Transactional} (the job repository and the ledger
 * run their own transactions), so the AOP and annotation-driven transaction proxying, whose bean
 * post-processors read the annotations of every bean's methods, have nothing to do; nor have the task
 * executors and schedulers (the job runs on the caller's thread; the grant step keeps its own pool),
 * SSL bundles, project info or availability state.
 */
@SpringBootApplication(exclude = {
        AopAutoConfiguration.class,
        TransactionAutoConfiguration.class,
        PersistenceExceptionTranslationAutoConfiguration.class,
        TaskExecutionAutoConfiguration.class,
        TaskSchedulingAutoConfiguration.class,
        SslAutoConfiguration.class,
        ProjectInfoAutoConfiguration.class,
        ApplicationAvailabilityAutoConfiguration.class,
        JdbcClientAutoConfiguration.class})
public class GranterApplication {

    /**
     * Starts and closes the context: what the build's Spring AOT step runs to generate the context's
     * bean definitions as code (ops/granter then starts with {@code -Dspring.aot.enabled=true}).
     */
    public static void main(String[] args) {
        start().close();
    }

    /**
     * Starts the context; the caller closes it. Command-line arguments are the commands' business, not
     * Spring's: {@code springArguments} are only the {@code --name=value} properties a command sets.
     */
    public static ConfigurableApplicationContext start(String... springArguments) {
        return new SpringApplicationBuilder(GranterApplication.class)
                .main(GranterApplication.class) // names the AOT-generated initializer, whoever calls start()
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .listeners(new PrivateHome(), new LogFileFallback.BeforeLogging(), new LogFileFallback.AfterLogging(),
                        new StartUpWarmUp())
                .run(springArguments);
    }

    /**
     * Creates $GRANTER_HOME readable by its owner only (0700) before the log file and the job
     * repository are opened in it: once the configuration is read, before logging starts.
     */
    static final class PrivateHome implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            String home = event.getEnvironment().getProperty("granter.home");
            if (home == null || home.isBlank()) {
                return;
            }
            EnvironmentFault.homeIs(Path.of(home).toAbsolutePath());
            try {
                PrivateFiles.createDirectory(Path.of(home));
            } catch (IOException e) {
                // the log file falls back (LogFileFallback); the job repository's own failure names the cause
                LoggerFactory.getLogger(GranterApplication.class).debug("cannot create $GRANTER_HOME {}", home, e);
            }
        }

        /** After the config files are read (EnvironmentPostProcessorApplicationListener, +10), before logging (+20). */
        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 15;
        }
    }
}
