package io.qualgranter.cli;

import picocli.CommandLine.Command;

@Command(name = "granter", mixinStandardHelpOptions = true, version = "qualification-granter 0.1",
        description = "Grants Amazon Mechanical Turk qualifications in bulk, resumably.",
        subcommands = {GrantCommand.class, StatusCommand.class, AbandonCommand.class})
public class GranterCommand {
}
