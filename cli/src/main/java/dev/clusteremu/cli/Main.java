package dev.clusteremu.cli;

import picocli.CommandLine;

/** {@code java -jar emu.jar}: see {@link LaunchCommand}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LaunchCommand()).execute(args));
    }
}
