package io.qualgranter;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring context behind the commands: job repository, the grant job, the runner. */
@SpringBootApplication
public class GranterApplication {

    /** Starts the context; the caller closes it. Command-line arguments are the commands' business, not Spring's. */
    public static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(GranterApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run();
    }
}
