package dev.clusteremu.server.scripting.lua;

/**
 * What the VM can tell about where a value came from (getobjname in ldebug.c): a "global", "local",
 * "upvalue", "field" or "method" of that name. Error messages quote it: "attempt to index local 't'".
 */
public record VarInfo(String kind, String name) {
}
