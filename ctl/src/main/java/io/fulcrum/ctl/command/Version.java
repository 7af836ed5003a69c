package io.fulcrum.ctl.command;

import picocli.CommandLine.IVersionProvider;

/** fctl --version: the version of the jar. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"fctl " + (version == null ? "development build" : version)};
    }
}
