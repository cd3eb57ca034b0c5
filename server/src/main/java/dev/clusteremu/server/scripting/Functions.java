package dev.clusteremu.server.scripting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.config.Glob;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.rdb.Crc64;
import dev.clusteremu.server.rdb.DumpPayload;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbInput;
import dev.clusteremu.server.rdb.RdbOpcode;
import dev.clusteremu.server.resp.InlineArgs;
import dev.clusteremu.server.resp.RespWriter;
import dev.clusteremu.server.scripting.lua.LuaExecutors;
import dev.clusteremu.server.scripting.lua.LuaFunction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Redis Functions (functions.c, function_lua.c): libraries of functions loaded with FUNCTION LOAD from
 * code that starts with {@code #!lua name=<library>}, their functions called with FCALL, and their code
 * kept as it was loaded, which FUNCTION DUMP and RDB files carry (RDB_OPCODE_FUNCTION2 records) and
 * FUNCTION RESTORE and RDB loading run again.
 *
 * <p>Library names are matched exactly, function names ignoring case, as Redis's dictionaries compare
 * them. Redis lists libraries in its hash table's order, which depends on a random seed; here they come in
 * the order they were loaded.
 */
public final class Functions {
    /** LOAD_TIMEOUT_MS: how long a library's code may run at load time. */
    private static final long LOAD_TIMEOUT_MS = 500;
    /** The 2-byte RDB version and the 8-byte CRC-64 that end every DUMP payload. */
    private static final int FOOTER_LENGTH = 10;
    private static final String INVALID_NAME = "Library names can only contain letters, numbers, or underscores(_) "
            + "and must be at least one character long";

    /** A function of a library (functionInfo). */
    record Function(String name, String description, EnumSet<ScriptFlag> flags, LuaFunction callback,
            Library library) {
    }

    /** A library (functionLibInfo): its name, its code as loaded, and its functions in registration order. */
    static final class Library {
        final String name;
        final byte[] code;
        final Map<String, Function> functions = new LinkedHashMap<>();

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }
    }

    /** A library refused, with the error Redis gives (without the ERR code). */
    static final class LibraryError extends Exception {
        LibraryError(String message) {
            super(message, null, false, false);
        }
    }

    private final Scripting scripting;
    /** Makes the interpreter libraries load into, on the first load or call (see {@link #engine()}). */
    private final Supplier<LuaEngine> newEngine;
    private LuaEngine engine;
    private Map<String, Library> libraries = new LinkedHashMap<>();
    /** Function name, lowercase → function. */
    private Map<String, Function> functions = new LinkedHashMap<>();

    Functions(Scripting scripting, Supplier<LuaEngine> newEngine) {
        this.scripting = scripting;
        this.newEngine = newEngine;
    }

    private LuaEngine engine() {
        if (engine == null) {
            engine = newEngine.get();
        }
        return engine;
    }

    /** The number of libraries (INFO number_of_libraries). */
    public int libraryCount() {
        return libraries.size();
    }

    /** The number of functions (INFO number_of_functions). */
    public int functionCount() {
        return functions.size();
    }

    /** The code of every library, for an RDB (rdbSaveFunctions). */
    public List<byte[]> libraryCodes() {
        List<byte[]> codes = new ArrayList<>();
        for (Library l : libraries.values()) {
            codes.add(l.code);
        }
        return codes;
    }

    /** functionsVerifyName: letters, digits and underscores, at least one. */
    static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // Creating libraries
    // ------------------------------------------------------------------------------------------------

    /** The "#!engine name=..." metadata of a library's first line (functionExtractLibMetaData). */
    private record Metadata(String engine, String name, byte[] code) {
    }

    private static Metadata metadata(byte[] payload) throws LibraryError {
        if (payload.length < 2 || payload[0] != '#' || payload[1] != '!') {
            throw new LibraryError("Missing library metadata");
        }
        int end = ScriptFlag.indexOfNewline(payload);
        if (end < 0) {
            throw new LibraryError("Invalid library metadata");
        }
        byte[][] parts = InlineArgs.split(payload, 0, end);
        if (parts == null || parts.length == 0) {
            throw new LibraryError("Invalid library metadata");
        }
        String engine = text(parts[0]).substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            String part = text(parts[i]);
            if (part.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new LibraryError("Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
                continue;
            }
            throw new LibraryError("Invalid metadata value given: " + part);
        }
        if (name == null) {
            throw new LibraryError("Library name was not given");
        }
        return new Metadata(engine, name, java.util.Arrays.copyOfRange(payload, end, payload.length));
    }

    /**
     * functionsCreateWithLibraryCtx: checks the metadata, runs the code to collect its functions, and
     * links the library into {@code libs}/{@code funcs} (replacing one of the same name when
     * {@code replace}). Returns the library name.
     */
    private String create(byte[] code, boolean replace, Map<String, Library> libs, Map<String, Function> funcs,
            long timeoutMillis) throws LibraryError {
        Metadata md = metadata(code);
        if (!isValidName(md.name())) {
            throw new LibraryError(INVALID_NAME);
        }
        if (!md.engine().equalsIgnoreCase("LUA")) {
            throw new LibraryError("Engine '" + md.engine() + "' not found");
        }
        Library old = libs.get(md.name());
        if (old != null && !replace) {
            throw new LibraryError("Library '" + md.name() + "' already exists");
        }
        LuaEngine.LoadContext ctx = new LuaEngine.LoadContext(timeoutMillis);
        String error = onLuaThread(() -> engine().loadLibrary(md.code(), ctx));
        if (error != null) {
            throw new LibraryError(error);
        }
        if (ctx.functions.isEmpty()) {
            throw new LibraryError("No functions registered");
        }
        Library lib = new Library(md.name(), code);
        for (LuaEngine.Registered r : ctx.functions) {
            Function existing = funcs.get(key(r.name()));
            if (existing != null && existing.library() != old) {
                throw new LibraryError("Function " + r.name() + " already exists");
            }
            lib.functions.put(r.name(), new Function(r.name(), r.description(), r.flags(), r.callback(), lib));
        }
        if (old != null) {
            unlink(old, libs, funcs);
        }
        link(lib, libs, funcs);
        return lib.name;
    }

    private static void link(Library lib, Map<String, Library> libs, Map<String, Function> funcs) {
        for (Function f : lib.functions.values()) {
            funcs.put(key(f.name()), f);
        }
        libs.put(lib.name, lib);
    }

    private static void unlink(Library lib, Map<String, Library> libs, Map<String, Function> funcs) {
        for (Function f : lib.functions.values()) {
            funcs.remove(key(f.name()));
        }
        libs.remove(lib.name);
    }

    private static String key(String functionName) {
        return functionName.toLowerCase(Locale.ROOT);
    }

    /** Runs a library's code on a Lua thread (it may recurse as deep as any script) and waits for it. */
    private static String onLuaThread(java.util.concurrent.Callable<String> work) {
        FutureTask<String> task = new FutureTask<>(work);
        LuaExecutors.execute(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A library read from an RDB at start or in a full sync (rdbFunctionLoad), loaded without a time limit. */
    public void loadFromRdb(byte[] code) throws IOException {
        try {
            create(code, false, libraries, functions, 0);
        } catch (LibraryError e) {
            throw new IOException("Failed loading library, " + e.getMessage());
        }
    }

    /** Drops every library (a replica about to load its master's RDB, functionsLibCtxClear). */
    public void clear() {
        libraries = new LinkedHashMap<>();
        functions = new LinkedHashMap<>();
    }

    // ------------------------------------------------------------------------------------------------
    // Commands
    // ------------------------------------------------------------------------------------------------

    /** FUNCTION LOAD [REPLACE] code: the library's name. */
    public void load(Client c, byte[][] argv) {
        boolean replace = false;
        int pos = 2;
        while (pos < argv.length - 1) {
            byte[] option = argv[pos++];
            if (!text(option).equalsIgnoreCase("replace")) {
                throw new CommandError("ERR Unknown option given: " + text(Conversions.cString(option)));
            }
            replace = true;
        }
        if (pos >= argv.length) {
            throw new CommandError("ERR Function code is missing");
        }
        long timeout = c.isMaster() ? 0 : LOAD_TIMEOUT_MS;
        String name;
        try {
            name = create(argv[pos], replace, libraries, functions, timeout);
        } catch (LibraryError e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.forceCommandPropagation();
        c.reply().bulk(name);
    }

    /** FUNCTION DELETE library. */
    public void delete(Client c, byte[] name) {
        Library lib = libraries.get(text(name));
        if (lib == null) {
            throw new CommandError("ERR Library not found");
        }
        unlink(lib, libraries, functions);
        c.forceCommandPropagation();
        c.reply().ok();
    }

    /** FUNCTION FLUSH [ASYNC|SYNC]. */
    public void flush(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw dev.clusteremu.server.command.Replies.subcommandSyntaxError(argv);
        }
        if (argv.length == 3 && !text(argv[2]).equalsIgnoreCase("sync") && !text(argv[2]).equalsIgnoreCase("async")) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        clear();
        c.forceCommandPropagation();
        c.reply().ok();
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]. */
    public void list(Client c, byte[][] argv) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < argv.length; i++) {
            if (!withCode && text(argv[i]).equalsIgnoreCase("withcode")) {
                withCode = true;
            } else if (pattern == null && text(argv[i]).equalsIgnoreCase("libraryname")) {
                if (i >= argv.length - 1) {
                    throw new CommandError("ERR library name argument was not given");
                }
                pattern = argv[++i];
            } else {
                throw new CommandError("ERR Unknown argument " + text(Conversions.cString(argv[i])));
            }
        }
        List<Library> shown = new ArrayList<>();
        for (Library lib : libraries.values()) {
            if (pattern == null || Glob.matches(pattern, lib.name.getBytes(StandardCharsets.ISO_8859_1), true)) {
                shown.add(lib);
            }
        }
        RespWriter r = c.reply();
        r.array(shown.size());
        for (Library lib : shown) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name.getBytes(StandardCharsets.ISO_8859_1));
            r.bulk("engine");
            r.bulk("LUA");
            r.bulk("functions");
            r.array(lib.functions.size());
            for (Function f : lib.functions.values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name().getBytes(StandardCharsets.ISO_8859_1));
                r.bulk("description");
                if (f.description() == null) {
                    r.nullBulk();
                } else {
                    r.bulk(f.description().getBytes(StandardCharsets.ISO_8859_1));
                }
                r.bulk("flags");
                r.set(f.flags().size());
                for (ScriptFlag flag : f.flags()) {
                    r.simple(flag.wireName());
                }
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code);
            }
        }
    }

    /** FUNCTION STATS: the running function, and the engines with their counts. */
    public void stats(Client c) {
        if (scripting.evalRunning()) {
            throw new CommandError(Scripting.BUSY_EVAL);
        }
        RespWriter r = c.reply();
        r.map(2);
        r.bulk("running_script");
        scripting.writeRunningScript(r);
        r.bulk("engines");
        r.map(1);
        r.bulk("LUA");
        r.map(2);
        r.bulk("libraries_count");
        r.integer(libraries.size());
        r.bulk("functions_count");
        r.integer(functions.size());
    }

    /**
     * FUNCTION DUMP: every library as an RDB FUNCTION2 record (its code as rdbSaveRawString writes it,
     * compressed under rdbcompression), then the RDB version and the CRC-64, as a DUMP payload ends.
     */
    public byte[] dump() {
        ByteBuf out = Unpooled.buffer();
        boolean compression = (Boolean) ConfigTable.valueOf(scripting.node(), "rdbcompression");
        RdbEncoder rdb = new RdbEncoder(out, compression, false);
        for (Library lib : libraries.values()) {
            rdb.writeFunction(lib.code);
        }
        out.writeShortLE(RdbEncoder.RDB_VERSION);
        long crc = Crc64.update(0, out, 0, out.readableBytes());
        out.writeLongLE(crc);
        byte[] payload = new byte[out.readableBytes()];
        out.readBytes(payload);
        out.release();
        return payload;
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]. */
    public void restore(Client c, byte[][] argv) {
        if (argv.length > 4) {
            throw dev.clusteremu.server.command.Replies.subcommandSyntaxError(argv);
        }
        String policy = "append";
        if (argv.length == 4) {
            policy = text(argv[3]).toLowerCase(Locale.ROOT);
            if (!policy.equals("append") && !policy.equals("replace") && !policy.equals("flush")) {
                throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        byte[] data = argv[2];
        if (!DumpPayload.verify(data)) {
            throw new CommandError(DumpPayload.BAD_VERSION_OR_CHECKSUM);
        }
        Map<String, Library> libs = new LinkedHashMap<>();
        Map<String, Function> funcs = new LinkedHashMap<>();
        long timeout = c.isMaster() ? 0 : LOAD_TIMEOUT_MS;
        try {
            RdbInput in = RdbInput.of(data);
            while (data.length - in.position() > FOOTER_LENGTH) {
                int type;
                try {
                    type = in.readByte();
                } catch (IOException e) {
                    throw new LibraryError("can not read data type");
                }
                if (type != RdbOpcode.FUNCTION && type != RdbOpcode.FUNCTION2) {
                    throw new LibraryError("given type is not a function");
                }
                create(readLibrary(in, type), false, libs, funcs, timeout);
            }
            if (policy.equals("flush")) {
                libraries = libs;
                functions = funcs;
            } else {
                join(libs, policy.equals("replace"));
            }
        } catch (LibraryError e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.forceCommandPropagation();
        c.reply().ok();
    }

    /** libraryJoin: all or nothing; a name collision fails unless replacing libraries, a function's always. */
    private void join(Map<String, Library> libs, boolean replace) throws LibraryError {
        Map<String, Library> newLibraries = new LinkedHashMap<>(libraries);
        Map<String, Function> newFunctions = new LinkedHashMap<>(functions);
        for (Library lib : libs.values()) {
            Library old = newLibraries.get(lib.name);
            if (old != null) {
                if (!replace) {
                    throw new LibraryError("Library " + lib.name + " already exists");
                }
                unlink(old, newLibraries, newFunctions);
            }
        }
        for (Library lib : libs.values()) {
            for (Function f : lib.functions.values()) {
                if (newFunctions.containsKey(key(f.name()))) {
                    throw new LibraryError("Function " + f.name() + " already exists");
                }
            }
        }
        for (Library lib : libs.values()) {
            link(lib, newLibraries, newFunctions);
        }
        libraries = newLibraries;
        functions = newFunctions;
    }

    /** One library record of a payload (rdbFunctionLoad), in the current or the 7.0-rc layout. */
    private static byte[] readLibrary(RdbInput in, int type) throws LibraryError {
        if (type == RdbOpcode.FUNCTION2) {
            return read(in, "Failed loading library payload");
        }
        byte[] name = read(in, "Failed loading library name");
        byte[] engineName = read(in, "Failed loading engine name");
        long hasDescription;
        try {
            hasDescription = in.readLength();
        } catch (IOException e) {
            throw new LibraryError("Failed loading library description indicator");
        }
        if (hasDescription != 0) {
            read(in, "Failed loading library description");
        }
        byte[] blob = read(in, "Failed loading library blob");
        return ("#!" + text(engineName) + " name=" + text(name) + "\n" + text(blob)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] read(RdbInput in, String error) throws LibraryError {
        try {
            return in.readString();
        } catch (IOException e) {
            throw new LibraryError(error);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // FCALL
    // ------------------------------------------------------------------------------------------------

    /** FCALL and FCALL_RO (fcallCommandGeneric). */
    public void fcall(Client c, byte[][] argv, CommandSpec spec, boolean ro) {
        RedisNode node = scripting.node();
        node.monitors().feed(c, argv, node.nowMicros());
        Function f = functions.get(key(text(argv[1])));
        if (f == null) {
            throw new CommandError("ERR Function not found");
        }
        int numkeys = Scripting.numkeys(argv, "ERR Bad number of keys provided");
        ScriptRun run = scripting.prepare(c, argv, spec, engine(), f.name(), false, f.flags(), false, ro, numkeys);
        scripting.start(run, f.callback(), numkeys);
    }

    /** fcallGetCommandFlags: the function's declared flags replace the command's own. */
    public EnumSet<CommandFlag> fcallCommandFlags(byte[][] argv, EnumSet<CommandFlag> flags) {
        if (argv.length < 2) {
            return flags;
        }
        Function f = functions.get(key(text(argv[1])));
        return f == null ? flags : Scripting.scriptFlagsToCommandFlags(flags, f.flags());
    }

    Collection<Library> libraries() {
        return libraries.values();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
