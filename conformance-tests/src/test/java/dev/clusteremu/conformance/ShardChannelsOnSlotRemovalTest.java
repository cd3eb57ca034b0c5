package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When a slot leaves the shard (here: CLUSTER DELSLOTS), the subscribers of its sharded channels are told
 * with an sunsubscribe message, as removeChannelsInSlot does.
 */
@ExtendWith(DifferentialExtension.class)
class ShardChannelsOnSlotRemovalTest {

    @Test
    void deletingASlotUnsubscribesItsShardChannelSubscribers(DifferentialSession session) {
        int slot = (int) session.check("CLUSTER", "KEYSLOT", "news").asLong();
        try (RespClient refSub = RespClient.connect(session.reference());
                RespClient candSub = RespClient.connect(session.candidate())) {
            assertEquals(refSub.call("SSUBSCRIBE", "news"), candSub.call("SSUBSCRIBE", "news"));
            session.check("CLUSTER", "DELSLOTS", Integer.toString(slot));
            assertEquals(refSub.read(), candSub.read(), "the push each subscriber got");
        } finally {
            session.check("CLUSTER", "ADDSLOTS", Integer.toString(slot));
            Wait.until("both serve every slot again", () -> session.referenceClient().call("CLUSTER", "INFO")
                    .asString().startsWith("cluster_state:ok") && session.candidateClient().call("CLUSTER", "INFO")
                    .asString().startsWith("cluster_state:ok"));
        }
    }
}
