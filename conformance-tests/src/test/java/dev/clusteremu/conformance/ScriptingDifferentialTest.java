package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * EVAL scripting against redis-server 7.0.15, replies compared byte for byte: what Lua values become as
 * replies and what replies become in Lua (RESP2 and RESP3), Lua 5.1's own semantics and error texts as
 * Redis's Lua has them, the sandbox, the libraries Redis bundles, shebang flags, the cluster's slot rules,
 * the script cache commands, and what replicas receive for a script's effects.
 */
@ExtendWith(DifferentialExtension.class)
class ScriptingDifferentialTest {

    @BeforeEach
    void emptyScriptCache(DifferentialSession session) {
        session.check("SCRIPT", "FLUSH");
    }

    /** Runs each line of {@code scripts} as an EVAL without keys. */
    private static void evalEach(DifferentialSession session, String scripts) {
        for (String script : scripts.strip().split("\n")) {
            session.check("EVAL", script.strip(), "0");
        }
    }

    @Test
    void keysDoNotExpireWhileAScriptRuns(DifferentialSession session) {
        // The key's 1 ms passes while the script spins on TIME for 20 ms; lookups go by the script's start.
        String script = "redis.call('set', KEYS[1], 'v', 'px', 1) "
                + "local t = redis.call('time') local start = t[1] * 1000000 + t[2] "
                + "repeat local n = redis.call('time') until n[1] * 1000000 + n[2] > start + 20000 "
                + "return {redis.call('get', KEYS[1]), redis.call('pttl', KEYS[1]), redis.call('exists', KEYS[1])}";
        session.check("EVAL", script, "1", "k");
        session.check("EXISTS", "k");
    }

    @Test
    void luaValuesBecomeRedisReplies(DifferentialSession session) {
        String scripts = """
                return 1
                return 3.99
                return -3.99
                return 2^63
                return 0/0
                return 'text'
                return ''
                return true
                return false
                return nil
                return {1, 'two', 3.5, {4, {5}}, true, false}
                return {1, 2, nil, 4}
                return {}
                return {err = 'My error'}
                return {err = 'line\\nbreak'}
                return {err = 5}
                return {ok = 'fine'}
                return {ok = 'a\\r\\nb'}
                return redis.status_reply('PONG')
                return redis.error_reply('CODE message')
                return redis.error_reply('-CODE message')
                return redis.error_reply('nospace')
                return redis.error_reply(1)
                return {double = 3.25}
                return {double = 1/0}
                return {big_number = '12345678901234567890'}
                return {verbatim_string = {format = 'txt', string = 'hello'}}
                return {map = {a = 1}}
                return {set = {x = true}}
                return {1, {err = 'nested'}, {ok = 'nested'}}
                return print
                local t = {} t[1] = t return #tostring(#t)
                """;
        evalEach(session, scripts);
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        evalEach(session, scripts);
        evalEach(session, """
                redis.setresp(3) return true
                redis.setresp(3) return false
                redis.setresp(3) return {map = {a = {1, 2}}, set = {}}
                """);
    }

    @Test
    void redisRepliesBecomeLuaValues(DifferentialSession session) {
        session.check("HSET", "h", "f", "v");
        session.check("SADD", "s", "m");
        session.check("ZADD", "z", "1.5", "m");
        for (String resp : new String[] {"2", "3"}) {
            evalEach(session, """
                    redis.setresp(%1$s) local r = redis.call('HGETALL', 'h') return {type(r), r[1], r.map and r.map.f}
                    redis.setresp(%1$s) local r = redis.call('SMEMBERS', 's') return {r[1], r.set and tostring(r.set.m)}
                    redis.setresp(%1$s) local r = redis.call('ZSCORE', 'z', 'm') return {type(r), r.double or r}
                    redis.setresp(%1$s) return redis.call('ZSCORE', 'z', 'm')
                    redis.setresp(%1$s) return redis.call('GET', 'missing')
                    redis.setresp(%1$s) return {redis.call('GET', 'missing') == false, redis.call('GET', 'missing') == nil}
                    redis.setresp(%1$s) return redis.call('HGETALL', 'h')
                    redis.setresp(%1$s) local r = redis.call('PING') return {type(r), r.ok}
                    redis.setresp(%1$s) local r = redis.pcall('INCR', 'h') return {type(r), r.err}
                    redis.setresp(%1$s) return redis.call('EXISTS', 'h', 'missing')
                    redis.setresp(%1$s) return redis.call('CONFIG', 'GET', 'maxmemory-policy')
                    redis.setresp(%1$s) local r = redis.call('LRANGE', 'missing', 0, -1) return {type(r), #r}
                    """.formatted(resp));
        }
    }

    @Test
    void argumentsReachCommandsAsRedisConvertsThem(DifferentialSession session) {
        evalEach(session, """
                return redis.call('ECHO', 1.5)
                return redis.call('ECHO', 0.1)
                return redis.call('ECHO', 1e20)
                return redis.call('ECHO', -0)
                return redis.call('ECHO', 2^53)
                return redis.call('ECHO', true)
                return redis.call('ECHO', {})
                return redis.call()
                return redis.pcall()
                return redis.call('nosuch')
                return redis.call('get')
                return redis.call('get', 'a', 'b')
                return redis.pcall('get', 'a', 'b')
                return redis.call('CONFIG')
                return redis.call('CONFIG', 'nosub')
                return redis.call('eval', 'return 1', 0)
                return redis.call('blpop', 'l', 0)
                return redis.call('multi')
                return redis.call('SUBSCRIBE', 'c')
                return redis.pcall('nosuch').err
                return pcall(redis.call, 'nosuch')
                return {pcall(redis.call, 'incr', 'h')}
                """);
        session.check("EVAL", "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "{k}1", "{k}2", "a", "b");
        session.check("EVAL", "KEYS[1] = 'changed' return KEYS", "1", "k");
    }

    @Test
    void luaBehavesAsRedissLua51(DifferentialSession session) {
        evalEach(session, """
                return tostring(1/3)
                return tostring(1e15) .. ' ' .. tostring(123456789012345) .. ' ' .. tostring(2^53)
                return tostring(0/0) .. ' ' .. tostring(-(0/0)) .. ' ' .. tostring(1/0) .. ' ' .. tostring(-0)
                return 1 .. '' .. 1.5 .. '' .. 1e100
                return string.format('%5.1f|%-5d|%x|%X|%o|%e|%g|%c|%q', 3.14159, 42, 255, -1, 8, 0.000123, 1e20, 65, 'a\\0\\r\\n"')
                return string.format('%.0f %.0f %.3g %g %g %#x %+d % d %05d', 2.5, 3.5, 0.0001234, 1e5, 1e6, 255, 5, 5, -42)
                return string.format('%c', 0) .. '|' .. string.format('%5c|%s', 0, 'a\\0b')
                return string.format('%s %s', 'a')
                return string.format('%')
                return string.format('%123d', 1)
                return string.format('%y', 1)
                local t = {} for i, k in ipairs({'a','b','c','d','e','f','g','h','i'}) do t[k] = i end local r = {} for k in pairs(t) do r[#r + 1] = k end return r
                local t = {} for i = 1, 20 do t['k' .. i] = i end local r = {} for k in pairs(t) do r[#r + 1] = k end return r
                local t = {x = 1, y = 2, [1] = 'a', [2] = 'b', [10] = 'c', [1.5] = 'd', [true] = 'e'} local r = {} for k in pairs(t) do r[#r + 1] = tostring(k) end return r
                local t = {} for i = 10, 1, -1 do t[i] = i end local r = {} for k in pairs(t) do r[#r + 1] = k end return r
                return {#{1, 2, nil}, #{nil, nil, 3}, #{1, nil, 3}, #{n = 1}}
                local t = {} for i = 1, 10 do t[i] = i end for i = 1, 9 do t[i] = nil end return #t
                local t = {3, 1, 2, 5, 4, 9, 8, 7, 6, 0} table.sort(t) return t
                local t = {1, 2, 3, 4, 5} table.sort(t, function(a, b) return true end) return t
                local t = {'b', 'a', 'c', 'B'} table.sort(t) return t
                return table.sort({1, 'x'})
                return table.concat({1, 2, {}})
                return table.insert(nil, 1)
                return table.setn({}, 1)
                return {table.remove({1, 2, 3}, 1), table.getn({1, 2}), table.maxn({1, [10] = 2})}
                return {('hello world'):find('o w'), ('hello'):find('l', -2), ('a.b'):find('.', 1, true)}
                return {('key=val'):match('(%w+)=(%w+)')}
                return {('  trim  '):match('^%s*(.-)%s*$'), ('hello'):match('()ll()')}
                return {('hello world'):gsub('o', {o = '0'})}
                return {('hello world'):gsub('%w+', function(w) return w:upper() end)}
                return {('abc'):gsub('', '-')}
                return {('THE (quick) fox'):find('%((%a+)%)')}
                return {('f(a(b)c)d'):match('%b()'), ('THE quick'):gsub('%f[%a]%a+', 'W')}
                return string.gsub('x', '(', '')
                return string.find('x', '[a')
                return string.gsub('abc', '%w', '%2')
                return {tonumber('  0x1A  '), tonumber('1e2'), tonumber('ff', 16), tonumber('zz', 36), tonumber('8', 8)}
                return {tonumber(''), tonumber('1.5', 10), tonumber('inf'), tonumber('10', 99)}
                return {math.floor(-3.5), math.ceil(-3.5), math.fmod(-7, 3), -7 % 3, 5.5 % 2, math.max(1, 5, 3)}
                return {select('#', nil, nil), select(-2, 'a', 'b', 'c'), select(2, 'a', 'b')}
                return select(0, 'a')
                return {unpack({1, 2, 3}, 2)}
                return unpack({}, 1, 1e8)
                return {math.random(1000), math.random(1000), math.random(5, 10)}
                math.randomseed(42) return {math.random(1000), math.random(1000)}
                return math.random(3, 1)
                local function f(...) return arg and arg.n end return f(1, 2)
                local function f() return 1 + f() end return f()
                local function f(n) if n == 0 then return 'done' end return f(n - 1) end return f(100000)
                return (function() error('at level 2', 2) end)()
                local x = (function() error('at level 2', 2) end)() return x
                error('boom')
                error('no position', 0)
                error(123)
                error(nil)
                error({err = 'custom'})
                error({err = 'custom', source = 'x', line = 99})
                return {pcall()}
                return {pcall(error, {})}
                return {select('#', pcall(error, {}))}
                return {xpcall(function() error('E') end, function(m) return 'handled: ' .. m end)}
                return {coroutine.resume(coroutine.create(function(a, b) return a + b end), 1, 2)}
                return coroutine.wrap(function() coroutine.yield(1) end)()
                return {coroutine.resume(coroutine.create(function() local x = nil return x.y end))}
                return coroutine.wrap(function() error('wrapped') end)()
                return coroutine.yield(1)
                return coroutine.create(print)
                local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.hello
                local mt = {__add = function() return 'added' end, __concat = function() return 'cc' end} return {setmetatable({}, mt) + 1, 'x' .. setmetatable({}, mt)}
                local mt = {__eq = function() return true end, __lt = function() return true end} return {setmetatable({}, mt) == setmetatable({}, mt), setmetatable({}, mt) < setmetatable({}, mt)}
                return tostring(setmetatable({}, {__tostring = function() return 'TT' end}))
                return getmetatable(setmetatable({}, {__metatable = 'locked'}))
                return getmetatable('x').__index == string
                return loadstring('return 1 +')
                return {loadstring('return ...')(4, 5)}
                return loadstring('x = ')()
                return #arg
                return nil + 1
                local t = nil return t.x
                local t = {} return t.a.b
                local t = {} return t[1].x
                local t = {} t.a.b = 1
                local up = nil return (function() return up.x end)()
                return math.nofunc()
                local s = 'str' return s:nomethod()
                return #5
                return {} < 1
                return 1 < 'x'
                return {} .. ''
                for i = 1, 'x' do end
                for k in pairs(nil) do end
                local a = {} a[nil] = 1
                return next({}, 'nokey')
                return ('x'):bad()
                return string.rep()
                return ipairs()
                return 7 // 2
                local x <const> = 1
                x =
                return 'unfinished
                return [[
                return 1 +
                if true then
                for i = 1 do end
                return (1)
                f() = 1
                return 1 end
                break
                local function f(...) return function() return ... end end
                return 0x10 + 1e2 + .5
                return 1.2.3
                return '\\300'
                return [==[ok]==]
                """);
    }

    @Test
    void theSandboxLocksTheGlobals(DifferentialSession session) {
        evalEach(session, """
                x = 1
                return x
                return _G.x
                rawset(_G, 'x', 1)
                setmetatable(_G, nil)
                string.x = 1
                function f() end
                redis.call = nil
                KEYS = nil
                local t = {} t.x = 1 return t.x
                local r = {} for k in pairs(_G) do if k ~= 'KEYS' and k ~= 'ARGV' then r[#r + 1] = k end end table.sort(r) return r
                local r = {} for k in pairs(string) do r[#r + 1] = k end table.sort(r) return r
                local r = {} for k in pairs(math) do r[#r + 1] = k end table.sort(r) return r
                local r = {} for k in pairs(redis) do r[#r + 1] = k end table.sort(r) return r
                local r = {} for k in pairs(cjson) do r[#r + 1] = k end table.sort(r) return r
                return {type(print), type(os), type(io), type(require), type(dofile), type(debug), type(getfenv)}
                return type(loadfile)
                return _VERSION
                return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}
                return {redis.REPL_ALL, redis.REPL_AOF, redis.REPL_REPLICA, redis.REPL_SLAVE, redis.REPL_NONE}
                return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}
                return {redis.breakpoint(), redis.replicate_commands(), redis.debug('x')}
                return _G[1]
                return _G[{}]
                return rawget(_G, 'nonexistent')
                """);
    }

    @Test
    void theRedisApiChecksItsArguments(DifferentialSession session) {
        evalEach(session, """
                return redis.sha1hex('')
                return redis.sha1hex(123)
                return redis.sha1hex()
                return redis.status_reply('x', 'y')
                return redis.setresp(4)
                return redis.setresp()
                return redis.set_repl(8)
                return redis.set_repl()
                return redis.log(1)
                return redis.log('x', 'y')
                return redis.log(99, 'y')
                return redis.log(redis.LOG_DEBUG, 'quiet')
                return {redis.acl_check_cmd('get', 'k'), redis.acl_check_cmd('set', 'k', 'v')}
                return redis.acl_check_cmd('nosuch')
                return redis.acl_check_cmd()
                """);
    }

    @Test
    void bundledLibrariesEncodeAndDecodeAsRedissOwn(DifferentialSession session) {
        evalEach(session, """
                return cjson.encode({a = 1, b = 2, c = {1, 2, 3}, d = 0.1, e = 1e20})
                return cjson.encode(string.char(127, 0, 1, 31, 47, 34, 92, 8, 9, 10, 12, 13, 200))
                return cjson.encode({1, 2, [4] = 4})
                return cjson.encode({[1] = 1, [20] = 2})
                return cjson.encode({})
                return cjson.encode({[true] = 1})
                return cjson.encode(print)
                return cjson.encode(0/0)
                return cjson.encode({[1.5] = 1, x = {y = {z = {}}}})
                return cjson.decode('[1, 2.5, -3e2, true, false, null]')[3]
                return cjson.decode('"\\\\u0041\\\\u00e9\\\\ud83d\\\\ude00"')
                return cjson.decode('{"a": [1, {"b": 2}]}').a[2].b
                return cjson.decode('[1,2,{"a":null}]')[3].a == cjson.null
                return tostring(cjson.null)
                return cjson.decode('{')
                return cjson.decode('[1,]')
                return cjson.decode('"abc')
                return cjson.decode('0x10')
                return cjson.decode('[1] x')
                return {cjson.encode_max_depth(), cjson.encode_number_precision(), cjson.encode_invalid_numbers()}
                return cmsgpack.pack({1, 2, 3}, 'abc', 1.5, -1, 300, {a = 1})
                return cmsgpack.pack(127, 128, 255, 256, 65535, 65536, 2^32, -1, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31-1)
                return cmsgpack.pack(0.5, 0.1, 1e300, nil, true, false, string.rep('x', 40))
                return {cmsgpack.unpack(cmsgpack.pack(1, 2, 'x', {4, {5}}))}
                return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}
                return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}
                return cmsgpack.unpack('\\193')
                return cmsgpack.unpack('\\205\\1')
                return cmsgpack.pack()
                return struct.pack('>I2', 300)
                return {struct.pack('<i', -2), struct.pack('bBhH', -1, 255, -2, 65535)}
                return {struct.unpack('<i2', '\\255\\255')}
                return {struct.size('i4d'), struct.size('!8bd')}
                return struct.pack('z', 1)
                return struct.unpack('i', 'ab')
                return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.lshift(1, 31), bit.rshift(-1, 28)}
                return {bit.arshift(-256, 4), bit.rol(1, 33), bit.bswap(0x12345678), bit.tohex(-1), bit.tohex(255, -4), bit.tobit(2^32 + 5)}
                return bit.band('x')
                """);
    }

    @Test
    void shebangFlagsDecideWhatAScriptMayDo(DifferentialSession session) {
        session.check("SET", "k", "v");
        evalEach(session, """
                #!lua flags=no-writes
                #!lua flags=foo
                #!lua x=1
                #!js
                #!lua
                #!lua flags=no-cluster
                """);
        String[] scripts = {
            "#!lua flags=no-writes\nreturn redis.call('get', 'k')",
            "#!lua flags=no-writes\nreturn redis.call('set', 'k', 'v')",
            "#!lua flags=no-writes\nreturn redis.call('publish', 'c', 'm')",
            "#!lua\nreturn redis.call('set', 'k', 'v')",
            "#!lua flags=no-writes,allow-oom,allow-stale\nreturn 1",
            "#!lua flags=no-cluster\nreturn 1",
            "#!lua flags=\nreturn 1",
            "#!lua flags=no-writes,\nreturn 1",
            "#!lua\nreturn {redis.call('set', '{a}1', 'x'), redis.call('set', '{b}1', 'x')}",
            "#!lua flags=allow-cross-slot-keys\nreturn {redis.call('set', '{a}1', 'x'), redis.call('set', '{b}1', 'x')}",
            "return {redis.call('set', '{a}1', 'x'), redis.call('set', '{b}1', 'x')}",
            "#!lua\nerror('line ' .. 2)",
        };
        for (String script : scripts) {
            session.check("EVAL", script, "0");
            session.check("EVAL_RO", script, "0");
        }
        session.check("EVAL", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "{a}1");
        session.check("EVAL", "#!lua\nreturn redis.call('get', '{b}1')", "1", "{a}1");
        session.check("EVAL", "return redis.call('get', '{b}1')", "1", "{a}1");
        session.check("EVAL_RO", "return redis.call('set', 'k', 'v')", "0");
        session.check("EVAL_RO", "return redis.call('get', 'k')", "0");
    }

    @Test
    void declaredKeysMustShareASlot(DifferentialSession session) {
        session.check("EVAL", "return 1", "2", "a", "b");
        session.check("EVAL", "return 1", "2", "{t}a", "{t}b");
        session.check("EVAL", "return 1", "1", "a", "b", "c");
        session.check("EVAL", "return 1", "3", "a");
        session.check("EVAL", "return 1", "-1");
        session.check("EVAL", "return 1", "x");
        session.check("EVAL", "return 1", "1.5", "a");
        session.check("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "x");
        session.check("EVALSHA", "fff", "x");
    }

    @Test
    void theScriptCacheServesEvalsha(DifferentialSession session) {
        session.check("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
        session.check("SCRIPT", "LOAD", "return 1");
        session.check("SCRIPT", "LOAD", "return 1 +");
        session.check("SCRIPT", "LOAD", "#!lua flags=bad\nreturn 1");
        session.check("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "00");
        session.check("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0");
        session.check("EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "0");
        session.check("EVALSHA_RO", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0");
        session.check("EVAL", "return 2", "0");
        session.check("SCRIPT", "EXISTS", "7f923f79fe76194c868d7e1d0820de36700eb649");
        session.check("SCRIPT", "FLUSH", "ASYNC");
        session.check("SCRIPT", "FLUSH", "sync");
        session.check("SCRIPT", "FLUSH", "bad");
        session.check("SCRIPT", "FLUSH", "sync", "bad");
        session.check("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
        session.check("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0");
        session.check("SCRIPT", "KILL");
        session.check("SCRIPT", "DEBUG", "NO");
        session.check("SCRIPT", "DEBUG", "bad");
        session.check("SCRIPT", "HELP");
        session.check("SCRIPT", "LOAD");
        session.check("SCRIPT", "EXISTS");
        session.check("SCRIPT", "NOSUCH");
        session.check("SCRIPT");
        session.check("EVAL", "return 1");
        session.check("FUNCTION", "KILL");
        session.check("MULTI");
        session.check("EVAL", "return redis.call('set', 'm', '1')", "0");
        session.check("SCRIPT", "LOAD", "return 3");
        session.check("EXEC");
    }

    @Test
    void scriptErrorsCountAsRedisCountsThem(DifferentialSession session) {
        session.check("CONFIG", "RESETSTAT");
        session.check("SET", "s", "v");
        evalEach(session, """
                return redis.call('incr', 's')
                return redis.pcall('incr', 's')
                return redis.call('nosuch')
                return {err = 'X y'}
                error('z')
                return 1
                """);
        ReplyMasker errorStats = reply -> {
            String text = reply instanceof Reply.Bulk b ? new String(b.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    : reply.toString();
            java.util.List<String> kept = new java.util.ArrayList<>();
            for (String line : text.split("\r\n")) {
                if (line.startsWith("errorstat_") || line.startsWith("total_error_replies")
                        || line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_incr:")) {
                    kept.add(line.replaceAll("usec=[0-9]+,usec_per_call=[0-9.]+,", ""));
                }
            }
            java.util.Collections.sort(kept);
            return Reply.bulk(String.join("\n", kept));
        };
        session.checkMasked(errorStats, "INFO", "errorstats");
        session.checkMasked(errorStats, "INFO", "stats");
        session.checkMasked(errorStats, "INFO", "commandstats");
    }

    @Test
    void replicasReceiveTheCommandsAScriptRan(DifferentialSession session) {
        try (ReplicationProbe reference = ReplicationProbe.attach(session.reference());
             ReplicationProbe candidate = ReplicationProbe.attach(session.candidate())) {
            evalEach(session, """
                    redis.call('set', 'a', '1') redis.call('incr', 'a') return 1
                    redis.call('set', 'b', '1') return 1
                    redis.set_repl(redis.REPL_NONE) redis.call('set', 'c', '1') return 1
                    redis.call('set', 'd', '1') redis.set_repl(redis.REPL_NONE) redis.call('set', 'e', '1') redis.set_repl(redis.REPL_ALL) redis.call('set', 'f', '1') return 1
                    redis.set_repl(redis.REPL_AOF) redis.call('set', 'g', '1') return 1
                    redis.call('incrbyfloat', 'h', '1.5') return 1
                    return redis.call('get', 'a')
                    redis.call('set', 'x', '1') redis.call('nosuch')
                    redis.call('spop', 'nosuchset') redis.call('set', 'y', '1') return 1
                    #!lua flags=no-writes\nreturn redis.call('get', 'a')
                    """.replace("\\n", "\n"));
            session.check("SCRIPT", "LOAD", "return 1");
            session.check("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0");
            session.check("EVAL_RO", "return redis.call('get', 'a')", "0");
            session.check("MULTI");
            session.check("EVAL", "redis.call('set', 'm', '1') return 1", "0");
            session.check("SET", "n", "2");
            session.check("EXEC");
            session.check("SCRIPT", "FLUSH");
            List<String> marker = List.of("SET", "propagation-marker", "end");
            session.check(marker.toArray(String[]::new));
            assertEquals(reference.until(marker), candidate.until(marker));
        }
    }
}
