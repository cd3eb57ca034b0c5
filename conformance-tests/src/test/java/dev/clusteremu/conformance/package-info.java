/**
 * Black-box conformance tests: real sockets, real clients, and differential runs against redis-server 7.0.
 *
 * <h2>Harness</h2>
 * <ul>
 *   <li>{@link dev.clusteremu.conformance.RespClient} and {@link dev.clusteremu.conformance.Reply}: a raw RESP
 *       connection that keeps reply types and exact bytes, and sees the server close the connection.</li>
 *   <li>{@link dev.clusteremu.conformance.RealRedisNode}: a redis-server child process on ports from
 *       {@link dev.clusteremu.conformance.FreePorts}; {@link dev.clusteremu.conformance.RedisCli} runs
 *       redis-cli; both skip the test when {@link dev.clusteremu.conformance.RedisBinaries} finds no 7.0
 *       binary.</li>
 *   <li>{@link dev.clusteremu.conformance.DifferentialExtension} gives each test a
 *       {@link dev.clusteremu.conformance.DifferentialSession} on a reference (real Redis) and a candidate
 *       chosen by {@link dev.clusteremu.conformance.Targets}; {@link dev.clusteremu.conformance.ReplyMasker}
 *       masks what may rightly differ.</li>
 * </ul>
 *
 * <h2>System properties</h2>
 * <ul>
 *   <li>{@code conformance.target=emulator|real}: the candidate (default {@code emulator}; {@code real} runs
 *       the corpus real against real to prove it).</li>
 *   <li>{@code conformance.ports=<low>-<high>}: the client ports real nodes may use (default 20000-22767;
 *       each also needs port + 10000 for its cluster bus, kept below the ephemeral range 32768-60999).</li>
 * </ul>
 * Example: {@code mvn -B -q -pl conformance-tests -am test -Dconformance.target=real}.
 */
package dev.clusteremu.conformance;
