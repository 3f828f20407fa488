package com.example.subscriptions.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code subscriptions dead-letters list|redrive}: what is in a dead letter topic, and putting it back. */
@Command(
        name = "dead-letters",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Lists the records the service could not act on (with their reasons), or re-publishes them to"
                + " their original topic once the cause is fixed.",
        subcommands = {DeadLettersList.class, DeadLettersRedrive.class})
final class DeadLettersCommand {

    @ParentCommand
    Cli cli;

    /** The redrive position of a dead letter topic: a consumer group of its own, named after the topic. */
    static String redriveGroup(String topic) {
        return topic + "-redrive";
    }
}
