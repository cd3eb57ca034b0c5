package dev.clusteremu.cluster;

import java.util.Iterator;

/**
 * Failure detection (cluster.c, "failure reports" and markNodeAsFailingIfNeeded): a node is PFAIL in our
 * own opinion when it does not answer within node_timeout; it becomes FAIL when, in addition, a majority of
 * the slot-owning masters reported it PFAIL/FAIL within twice the node timeout. The agreement is weak on
 * purpose: either the FAIL broadcast reaches a majority, or no replica can be elected and the flag clears.
 */
final class FailureDetector {
    /** Failure reports stay valid this many node timeouts (CLUSTER_FAIL_REPORT_VALIDITY_MULT). */
    static final int REPORT_VALIDITY_MULT = 2;
    /** A master still serving slots is cleared of FAIL this many timeouts after it failed (CLUSTER_FAIL_UNDO_TIME_MULT). */
    static final int FAIL_UNDO_TIME_MULT = 2;

    private final Cluster cluster;
    private final ClusterState state;

    FailureDetector(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    /** Records that {@code reporter} (a master) sees {@code failing} as failing; true if the report is new. */
    boolean addReport(ClusterNode failing, ClusterNode reporter) {
        long now = cluster.now();
        for (ClusterNode.FailureReport r : failing.failReports) {
            if (r.reporter == reporter) {
                r.time = now;
                return false;
            }
        }
        failing.failReports.add(new ClusterNode.FailureReport(reporter, now));
        return true;
    }

    /** Drops the report of {@code reporter} about {@code node} without expiring others (node deletion). */
    static boolean deleteReport(ClusterNode node, ClusterNode reporter) {
        return node.failReports.removeIf(r -> r.reporter == reporter);
    }

    /** Drops the report of {@code reporter} about {@code node} (it says the node is fine now), then expires old ones. */
    boolean deleteReportAndCleanup(ClusterNode node, ClusterNode reporter) {
        if (!deleteReport(node, reporter)) {
            return false;
        }
        cleanup(node);
        return true;
    }

    /** Number of valid failure reports about {@code node} from other masters. */
    int reportCount(ClusterNode node) {
        cleanup(node);
        return node.failReports.size();
    }

    private void cleanup(ClusterNode node) {
        long maxAge = cluster.settings.nodeTimeout * REPORT_VALIDITY_MULT;
        long now = cluster.now();
        for (Iterator<ClusterNode.FailureReport> it = node.failReports.iterator(); it.hasNext(); ) {
            if (now - it.next().time > maxAge) {
                it.remove();
            }
        }
    }

    /**
     * Flags {@code node} FAIL if we see it PFAIL and enough masters agree (counting ourselves if we are a
     * master), then broadcasts FAIL so every reachable node flags it too.
     */
    void markFailingIfNeeded(ClusterNode node) {
        int neededQuorum = state.size / 2 + 1;
        if (!node.isTimedOut() || node.isFailed()) {
            return;
        }
        int failures = reportCount(node);
        if (state.myself.isMaster()) {
            failures++;
        }
        if (failures < neededQuorum) {
            return;
        }
        cluster.log.notice("Marking node " + node.name + " as failing (quorum reached).");
        node.flags &= ~NodeFlags.PFAIL;
        node.flags |= NodeFlags.FAIL;
        node.failTime = cluster.now();
        // Even a replica broadcasts: the quorum came from masters, it only helps the news travel.
        cluster.gossip.sendFail(node.name);
        state.todo(ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_SAVE_CONFIG);
    }

    /**
     * Clears FAIL from a node we can reach again: at once for replicas and slotless masters; for a master
     * still serving slots only after a while, when apparently nobody failed it over.
     */
    void clearFailureIfNeeded(ClusterNode node) {
        long now = cluster.now();
        if (node.isReplica() || node.slotCount() == 0) {
            cluster.log.notice("Clear FAIL state for node " + node.name + ": "
                    + (node.isReplica() ? "replica" : "master without slots") + " is reachable again.");
            node.flags &= ~NodeFlags.FAIL;
            state.todo(ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_SAVE_CONFIG);
        }
        if (node.isMaster() && node.slotCount() > 0
                && now - node.failTime > cluster.settings.nodeTimeout * FAIL_UNDO_TIME_MULT) {
            cluster.log.notice("Clear FAIL state for node " + node.name
                    + ": is reachable again and nobody is serving its slots after some time.");
            node.flags &= ~NodeFlags.FAIL;
            state.todo(ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_SAVE_CONFIG);
        }
    }
}
