package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.rdb.Crc64;
import dev.clusteremu.server.rdb.DumpPayload;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbInput;
import dev.clusteremu.server.rdb.RdbOpcode;

/**
 * The FUNCTION family (functions.c) as a node without any function engine: it holds no library, so
 * FUNCTION LIST is empty and FUNCTION DUMP is the payload of no library, which FUNCTION RESTORE accepts.
 * That is what {@code redis-cli --cluster add-node} copies from the cluster to a new node. Every request
 * to create a library fails with Redis's error for an engine it does not have ("Engine 'lua' not found"):
 * never a pretended success.
 */
public final class FunctionCommands {
    private static final String FLAGS_READ = "noscript";
    private static final String FLAGS_WRITE = "noscript write";
    private static final String ALL_SHARDS = "request_policy:all_shards response_policy:all_succeeded";

    /** The 2-byte RDB version and the 8-byte CRC-64 that end every DUMP payload. */
    private static final int FOOTER_LENGTH = 10;

    private static final List<String> HELP = List.of(
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
                    + "RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).");

    private FunctionCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("function", -2, "")
                .sub(command("delete", 3, FLAGS_WRITE).acl("scripting").tips(ALL_SHARDS)
                        .handler((c, argv) -> {
                            throw new CommandError("ERR Library not found");
                        }))
                .sub(command("dump", 2, FLAGS_READ).acl("scripting").handler(FunctionCommands::dump))
                .sub(command("flush", -2, FLAGS_WRITE).acl("scripting").tips(ALL_SHARDS)
                        .handler(FunctionCommands::flush))
                .sub(command("help", 2, "loading stale").acl("scripting")
                        .handler((c, argv) -> Replies.help(c, argv, HELP)))
                .sub(command("list", -2, FLAGS_READ).acl("scripting").tips("nondeterministic_output_order")
                        .handler(FunctionCommands::list))
                .sub(command("load", -3, "noscript write denyoom").acl("scripting").tips(ALL_SHARDS)
                        .handler(FunctionCommands::load))
                .sub(command("restore", -3, "noscript write denyoom").acl("scripting").tips(ALL_SHARDS)
                        .handler(FunctionCommands::restore))
                .build());
    }

    /**
     * FUNCTION DUMP: every library as an RDB FUNCTION2 record, then the RDB version and the CRC-64, as a
     * DUMP payload ends. With no library that is the footer alone: 0a 00 and the CRC of those two bytes.
     */
    private static void dump(Client c, byte[][] argv) {
        byte[] payload = new byte[FOOTER_LENGTH];
        payload[0] = (byte) RdbEncoder.RDB_VERSION;
        payload[1] = (byte) (RdbEncoder.RDB_VERSION >>> 8);
        long crc = Crc64.update(0, payload, 0, 2);
        for (int i = 0; i < 8; i++) {
            payload[2 + i] = (byte) (crc >>> (8 * i));
        }
        c.reply().bulk(payload);
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: the options checked as Redis checks them; no library. */
    private static void list(Client c, byte[][] argv) {
        boolean withCode = false;
        boolean libraryName = false;
        for (int i = 2; i < argv.length; i++) {
            if (!withCode && KeyCommands.optionIs(argv[i], "withcode")) {
                withCode = true;
            } else if (!libraryName && KeyCommands.optionIs(argv[i], "libraryname")) {
                if (i >= argv.length - 1) {
                    throw new CommandError("ERR library name argument was not given");
                }
                libraryName = true;
                i++;
            } else {
                throw new CommandError("ERR Unknown argument " + Args.text(argv[i]));
            }
        }
        c.reply().array(0);
    }

    /** FUNCTION FLUSH [ASYNC|SYNC]: there is nothing to delete. */
    private static void flush(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw Replies.subcommandSyntaxError(argv);
        }
        if (argv.length == 3 && !KeyCommands.optionIs(argv[2], "sync") && !KeyCommands.optionIs(argv[2], "async")) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        c.reply().ok();
    }

    /** FUNCTION LOAD [REPLACE] code: the library is checked as Redis checks it, then has no engine to run it. */
    private static void load(Client c, byte[][] argv) {
        int pos = 2;
        while (pos < argv.length - 1) {
            byte[] option = argv[pos++];
            if (!KeyCommands.optionIs(option, "replace")) {
                throw new CommandError("ERR Unknown option given: " + Args.text(option));
            }
        }
        if (pos >= argv.length) {
            throw new CommandError("ERR Function code is missing");
        }
        throw new CommandError("ERR " + createLibraryError(argv[pos]));
    }

    /**
     * FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]: checks the policy and the payload's footer, then
     * reads the libraries. A payload with no library (what FUNCTION DUMP gives here and on any Redis without
     * functions) restores as +OK; a library fails as it would fail to load.
     */
    private static void restore(Client c, byte[][] argv) {
        if (argv.length > 4) {
            throw Replies.subcommandSyntaxError(argv);
        }
        if (argv.length == 4 && !KeyCommands.optionIs(argv[3], "append")
                && !KeyCommands.optionIs(argv[3], "replace") && !KeyCommands.optionIs(argv[3], "flush")) {
            throw new CommandError(
                    "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        byte[] data = argv[2];
        if (!DumpPayload.verify(data)) {
            throw new CommandError(DumpPayload.BAD_VERSION_OR_CHECKSUM);
        }
        if (data.length > FOOTER_LENGTH) {
            throw new CommandError("ERR " + firstLibraryError(data));
        }
        c.reply().ok();
    }

    /**
     * Why the first library of a payload cannot be restored (the loop of functionRestoreCommand over
     * rdbFunctionLoad): not a function record, an unreadable one, or a library this node cannot create.
     */
    private static String firstLibraryError(byte[] data) {
        RdbInput in = RdbInput.of(data);
        try {
            int type = in.readByte();
            if (type == RdbOpcode.FUNCTION2) {
                return createLibraryError(readString(in, "Failed loading library payload"));
            }
            if (type != RdbOpcode.FUNCTION) {
                return "given type is not a function";
            }
            // The 7.0-rc layout: name, engine, an optional description, then the code without its shebang.
            byte[] name = readString(in, "Failed loading library name");
            byte[] engine = readString(in, "Failed loading engine name");
            long hasDescription;
            try {
                hasDescription = in.readLength();
            } catch (IOException e) {
                return "Failed loading library description indicator";
            }
            if (hasDescription != 0) {
                readString(in, "Failed loading library description");
            }
            byte[] blob = readString(in, "Failed loading library blob");
            String code = "#!" + new String(engine, ISO_8859_1) + " name=" + new String(name, ISO_8859_1) + "\n"
                    + new String(blob, ISO_8859_1);
            return createLibraryError(code.getBytes(ISO_8859_1));
        } catch (LoadError e) {
            return e.getMessage();
        } catch (IOException e) {
            return "can not read data type";
        }
    }

    private static byte[] readString(RdbInput in, String error) throws LoadError {
        try {
            return in.readString();
        } catch (IOException e) {
            throw new LoadError(error);
        }
    }

    /** A library record that cannot be read, with Redis's message for it. */
    private static final class LoadError extends IOException {
        LoadError(String message) {
            super(message, null);
        }
    }

    /**
     * Why {@code code} cannot become a library here (functionsCreateWithLibraryCtx): its shebang metadata is
     * checked in Redis's order — "#!", a first line, only name= arguments, a name, a valid name — and then
     * the engine is looked up, which always fails since this node has no engine.
     */
    private static String createLibraryError(byte[] code) {
        String text = new String(code, ISO_8859_1);
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            text = text.substring(0, nul);
        }
        if (!text.startsWith("#!")) {
            return "Missing library metadata";
        }
        int newline = text.indexOf('\n');
        if (newline < 0) {
            return "Invalid library metadata";
        }
        String[] parts = text.substring(0, newline).trim().split("[ \\t\\r\\n\\f\\x0B]+");
        String engine = parts[0].substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    return "Invalid metadata value, name argument was given multiple times";
                }
                name = parts[i].substring(5);
            } else {
                return "Invalid metadata value given: " + parts[i];
            }
        }
        if (name == null) {
            return "Library name was not given";
        }
        if (!name.matches("[a-zA-Z0-9_]+")) {
            return "Library names can only contain letters, numbers, or underscores(_) and must be at least one "
                    + "character long";
        }
        return "Engine '" + engine + "' not found";
    }
}
