package dev.clusteremu.server.acl;

/**
 * Why an ACL rule was refused: the errno values ACLSetUser and ACLSetSelector set, with the text
 * ACLSetUserStringError gives each, which ACL SETUSER quotes after the rule.
 */
enum RuleError {
    /** ENOENT: "+cmd", "-cmd" or "+@cat" names no known command or category. */
    UNKNOWN_COMMAND_OR_CATEGORY("Unknown command or category name in ACL"),
    /** EINVAL: not a rule, or a pattern with spaces, or "+cmd|" with nothing after the bar. */
    SYNTAX("Syntax error"),
    /** EEXIST: a key pattern after allkeys. */
    KEY_PATTERN_AFTER_ALLKEYS("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does "
            + "not have any effect. Try 'resetkeys' to start with an empty list of patterns"),
    /** EISDIR: a channel pattern after allchannels. */
    CHANNEL_PATTERN_AFTER_ALLCHANNELS("Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
            + "valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels"),
    /** ENODEV: "&lt;password" or "!hash" for a password the user doesn't have. */
    NO_SUCH_PASSWORD("The password you are trying to remove from the user does not exist"),
    /** EBADMSG: "#hash" or "!hash" that is not 64 lowercase hex digits. */
    BAD_HASH("The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"),
    /** ECHILD: "+container|sub|arg". */
    FIRST_ARG_OF_SUBCOMMAND("Allowing first-arg of a subcommand is not supported");

    private final String message;

    RuleError(String message) {
        this.message = message;
    }

    /** ACLSetUserStringError's text. */
    String message() {
        return message;
    }
}
