package dev.clusteremu.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (Implementation-Version), as the style guide's picocli example does. */
public final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = LaunchCommand.class.getPackage().getImplementationVersion();
        return new String[] {"clusteremu " + (v == null ? "(development build)" : v)};
    }
}
