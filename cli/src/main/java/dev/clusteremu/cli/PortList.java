package dev.clusteremu.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The client ports of the nodes to start, in the order given: the order matters because, as with
 * {@code redis-cli --cluster create}, the first nodes become the masters.
 *
 * @param ports one or more distinct ports, each leaving room for its cluster bus port
 */
public record PortList(List<Integer> ports) {
    /** The cluster bus listens on the client port + 10000 (CLUSTER_PORT_INCR), so it must stay a valid port. */
    static final int BUS_PORT_OFFSET = 10000;
    static final int MAX_PORT = 65535 - BUS_PORT_OFFSET;

    private static final Pattern PART = Pattern.compile("(\\d{1,9})(?:-(\\d{1,9}))?");

    public PortList {
        ports = List.copyOf(ports);
    }

    /**
     * Parses a comma list of ports and ranges ({@code 7000-7005}, {@code 7000,7001,7002},
     * {@code 7000-7002,7005}).
     *
     * @throws IllegalArgumentException saying what is wrong, in words fit for the command line
     */
    public static PortList parse(String text) {
        List<Integer> ports = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (String part : text.split(",", -1)) {
            Matcher m = PART.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.trim()
                        + "' is not a port or a range of ports (examples: 7000-7005, 7000,7001,7002, 7000-7002,7005)");
            }
            int first = Integer.parseInt(m.group(1));
            int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
            if (last < first) {
                throw new IllegalArgumentException("range " + part.trim() + " ends before it starts");
            }
            for (int port = first; port <= last; port++) {
                check(port);
                if (!seen.add(port)) {
                    throw new IllegalArgumentException("port " + port + " is listed twice");
                }
                ports.add(port);
            }
        }
        return new PortList(ports);
    }

    private static void check(int port) {
        if (port < 1) {
            throw new IllegalArgumentException("port " + port + " is not a valid port (ports start at 1)");
        }
        if (port > MAX_PORT) {
            throw new IllegalArgumentException("port " + port + " is too high: its cluster bus port "
                    + (port + BUS_PORT_OFFSET) + " would pass 65535 (the highest usable port is " + MAX_PORT + ")");
        }
    }

    public int size() {
        return ports.size();
    }

    /** The ports written back compactly, runs of consecutive ports as ranges: {@code 7000-7002,7005}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < ports.size()) {
            int j = i;
            while (j + 1 < ports.size() && ports.get(j + 1) == ports.get(j) + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(ports.get(i));
            if (j > i) {
                sb.append('-').append(ports.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }

    /** Lets picocli turn {@code --ports} into a PortList, reporting bad input as a usage error. */
    static final class Converter implements ITypeConverter<PortList> {
        @Override
        public PortList convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
