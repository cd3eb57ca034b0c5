package dev.clusteremu.cli;

import dev.clusteremu.server.EmulatedCluster;
import picocli.CommandLine;

/** {@code java -jar emu.jar}: see {@link LaunchCommand}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Reading the arguments (picocli) and loading the nodes' shared tables each take a few hundred ms on
        // a cold JVM: do the second on another core meanwhile.
        Thread preload = new Thread(EmulatedCluster::preload, "preload");
        preload.setDaemon(true);
        preload.start();
        System.exit(new CommandLine(new LaunchCommand()).execute(args));
    }
}
