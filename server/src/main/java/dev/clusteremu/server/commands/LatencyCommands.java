package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.ServerStats;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.latency.LatencyHistogram;
import dev.clusteremu.server.latency.LatencyMonitor;
import dev.clusteremu.server.latency.LatencyReports;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * LATENCY (latency.c): the latency monitor's events (LATEST, HISTORY, GRAPH, DOCTOR, RESET), and the
 * per-command latency histograms that latency-tracking keeps (HISTOGRAM). See {@link LatencyMonitor} and
 * {@link LatencyHistogram}.
 */
public final class LatencyCommands {
    private static final String FLAGS = "admin noscript loading stale";
    private static final String ALL_NODES = "nondeterministic_output request_policy:all_nodes response_policy:special";

    private static final List<String> LATENCY_HELP = List.of(
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified "
                    + "command names.",
            "    If no commands are specified then all histograms are replied.");

    private LatencyCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("latency", -2, "")
                .sub(command("doctor", 2, FLAGS).tips(ALL_NODES).handler(LatencyCommands::doctor))
                .sub(command("graph", 3, FLAGS).tips(ALL_NODES).handler(LatencyCommands::graph))
                .sub(command("help", 2, "loading stale").handler((c, argv) -> Replies.help(c, argv, LATENCY_HELP)))
                .sub(command("histogram", -2, FLAGS).tips(ALL_NODES)
                        .handler((c, argv) -> histogram(c, argv, table)))
                .sub(command("history", 3, FLAGS).tips(ALL_NODES).handler(LatencyCommands::history))
                .sub(command("latest", 2, FLAGS).tips(ALL_NODES).handler(LatencyCommands::latest))
                .sub(command("reset", -2, FLAGS).tips("request_policy:all_nodes response_policy:all_succeeded")
                        .handler(LatencyCommands::reset))
                .build());
    }

    /** LATENCY LATEST: per event, its name, its newest sample's time and latency, and its worst latency. */
    private static void latest(Client c, byte[][] argv) {
        LatencyMonitor monitor = c.node().latency();
        List<String> events = monitor.eventNames();
        RespWriter r = c.reply();
        r.array(events.size());
        for (String event : events) {
            LatencyMonitor.Sample last = monitor.latest(event);
            r.array(4);
            r.bulk(event);
            r.integer(last.time());
            r.integer(last.latency());
            r.integer(monitor.max(event));
        }
    }

    /** LATENCY HISTORY event: the event's samples as [time, latency] pairs, oldest first; empty if unknown. */
    private static void history(Client c, byte[][] argv) {
        List<LatencyMonitor.Sample> samples = c.node().latency().history(Args.text(argv[2]));
        RespWriter r = c.reply();
        if (samples == null) {
            r.array(0);
            return;
        }
        r.array(samples.size());
        for (LatencyMonitor.Sample s : samples) {
            r.array(2);
            r.integer(s.time());
            r.integer(s.latency());
        }
    }

    /** LATENCY GRAPH event: the event's sparkline; an error for an event without samples. */
    private static void graph(Client c, byte[][] argv) {
        String event = Args.text(argv[2]);
        RedisNode node = c.node();
        if (node.latency().history(event) == null) {
            throw new CommandError("ERR No samples available for event '" + event + "'");
        }
        c.reply().verbatim(LatencyReports.graph(event, node.latency(), node.now() / 1000));
    }

    /** LATENCY DOCTOR: the human readable report. */
    private static void doctor(Client c, byte[][] argv) {
        RedisNode node = c.node();
        LatencyReports.Settings settings = new LatencyReports.Settings(node.config().latencyMonitorThreshold,
                node.config().slowlogLogSlowerThan);
        c.reply().verbatim(LatencyReports.doctor(node.latency(), settings, node.now() / 1000));
    }

    /** LATENCY RESET [event ...]: forgets those events (all without arguments); answers how many went. */
    private static void reset(Client c, byte[][] argv) {
        LatencyMonitor monitor = c.node().latency();
        if (argv.length == 2) {
            c.reply().integer(monitor.reset(null));
            return;
        }
        int resets = 0;
        for (int j = 2; j < argv.length; j++) {
            resets += monitor.reset(Args.text(argv[j]));
        }
        c.reply().integer(resets);
    }

    /**
     * LATENCY HISTOGRAM [command ...]: a map from command full name to {calls, histogram_usec} for every
     * command (and subcommand) with a histogram; with names, for those commands, each followed by its
     * subcommands, unknown names left out and repeated ones repeated, as latencySpecificCommandsFillCDF does.
     */
    private static void histogram(Client c, byte[][] argv, CommandTable table) {
        ServerStats stats = c.node().stats();
        List<CommandSpec> shown = new ArrayList<>();
        if (argv.length == 2) {
            for (CommandSpec spec : table.all()) {
                addIfTracked(stats, spec, shown);
                for (CommandSpec sub : spec.subcommands().values()) {
                    addIfTracked(stats, sub, shown);
                }
            }
        } else {
            for (int j = 2; j < argv.length; j++) {
                CommandSpec spec = ServerCommands.byFullName(table, Args.text(argv[j]));
                if (spec == null) {
                    continue;
                }
                addIfTracked(stats, spec, shown);
                for (CommandSpec sub : spec.subcommands().values()) {
                    addIfTracked(stats, sub, shown);
                }
            }
        }
        RespWriter r = c.reply();
        r.map(shown.size());
        for (CommandSpec spec : shown) {
            r.bulk(spec.fullName());
            LatencyHistogram histogram = stats.commandStats(spec.fullName()).latencyHistogram();
            r.map(2);
            r.bulk("calls");
            r.integer(histogram.totalCount());
            r.bulk("histogram_usec");
            List<LatencyHistogram.CumulativeBucket> buckets = histogram.cumulativeBuckets();
            r.map(buckets.size());
            for (LatencyHistogram.CumulativeBucket b : buckets) {
                r.integer(b.micros());
                r.integer(b.cumulativeCount());
            }
        }
    }

    private static void addIfTracked(ServerStats stats, CommandSpec spec, List<CommandSpec> shown) {
        ServerStats.CommandStats s = stats.commandStats(spec.fullName());
        if (s != null && s.latencyHistogram() != null) {
            shown.add(spec);
        }
    }
}
