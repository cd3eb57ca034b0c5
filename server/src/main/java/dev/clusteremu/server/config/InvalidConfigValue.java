package dev.clusteremu.server.config;

/**
 * A value a parameter refuses, with Redis's reason text ("argument must be 'yes' or 'no'"); CONFIG SET
 * reports it as "CONFIG SET failed (possibly related to argument 'x') - &lt;reason&gt;".
 */
final class InvalidConfigValue extends RuntimeException {
    InvalidConfigValue(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
