package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Masks what makes two cluster nodes different in replies about themselves: node ids (40 hex chars),
 * their ports, and the millisecond times of CLUSTER NODES lines. Everything else stays to be compared.
 */
final class NodeIdentityMasker implements ReplyMasker {
    private final long[] ports;

    NodeIdentityMasker(int... ports) {
        this.ports = new long[ports.length];
        for (int i = 0; i < ports.length; i++) {
            this.ports[i] = ports[i];
        }
    }

    static NodeIdentityMasker of(DifferentialSession session) {
        return new NodeIdentityMasker(session.reference().port(), session.candidate().port());
    }

    @Override
    public Reply mask(Reply reply) {
        if (reply instanceof Reply.Int i) {
            for (long p : ports) {
                if (i.value() == p || i.value() == p + 10000) {
                    return Reply.status("<port>");
                }
            }
            return reply;
        } else if (reply instanceof Reply.Bulk b) {
            return new Reply.Bulk(text(new String(b.bytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        } else if (reply instanceof Reply.Status s) {
            return Reply.status(text(s.text()));
        } else if (reply instanceof Reply.Verbatim v) {
            return new Reply.Verbatim(v.format(),
                    text(new String(v.text(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        } else if (reply instanceof Reply.Array a) {
            return new Reply.Array(maskAll(a.elements()));
        } else if (reply instanceof Reply.Set s) {
            return new Reply.Set(maskAll(s.elements()));
        } else if (reply instanceof Reply.Map m) {
            List<Reply.Entry> entries = new ArrayList<>();
            for (Reply.Entry e : m.entries()) {
                entries.add(new Reply.Entry(mask(e.key()), mask(e.value())));
            }
            return new Reply.Map(entries);
        }
        return reply;
    }

    private List<Reply> maskAll(List<Reply> elements) {
        List<Reply> out = new ArrayList<>();
        for (Reply r : elements) {
            out.add(mask(r));
        }
        return out;
    }

    private String text(String s) {
        String out = s.replaceAll("[0-9a-f]{40}", "<id>").replaceAll("\\b1\\d{12}\\b", "<ms>");
        for (long p : ports) {
            out = out.replaceAll("\\b" + (p + 10000) + "\\b", "<cport>").replaceAll("\\b" + p + "\\b", "<port>");
        }
        return out;
    }
}
