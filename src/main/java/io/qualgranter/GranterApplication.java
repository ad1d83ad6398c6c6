package io.qualgranter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.qualgranter.grant.SdkWarmUp;
import io.qualgranter.report.PrivateFiles;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/** The Spring context behind the commands: job repository, the grant job, the runner. */
@SpringBootApplication
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
                .listeners(new PrivateHome(), new SdkWarmUp())
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
            try {
                PrivateFiles.createDirectory(Path.of(home));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create $GRANTER_HOME " + home + ": " + e.getMessage(), e);
            }
        }

        /** After the config files are read (EnvironmentPostProcessorApplicationListener, +10), before logging (+20). */
        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 15;
        }
    }
}
