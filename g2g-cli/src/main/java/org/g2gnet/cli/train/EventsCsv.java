package org.g2gnet.cli.train;

import java.util.Locale;

import org.g2gnet.rewiring.RewiringEvent;

/** The columns of events.csv: one row per rewiring event and layer. */
public final class EventsCsv {
    private EventsCsv() {
    }

    /** Header row. */
    public static final String HEADER = "layer,iteration,epoch,pruned,grown,density,intra_share,grown_intra,grown_inter,"
            + "mean_score_pruned,mean_score_grown,mean_abs_w_pruned,mean_abs_w_active,zero_score_pruned_share,fraction";

    /**
     * @param e an event
     * @return its row
     */
    public static String row(RewiringEvent e) {
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.6f,%.6f,%d,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g", e.layer(),
                e.iteration(), e.epoch(), e.pruned(), e.grown(), e.density(), e.intraShare(), e.grownIntra(),
                e.grownInter(), e.meanScorePruned(), e.meanScoreGrown(), e.meanAbsWeightPruned(),
                e.meanAbsWeightActive(), e.zeroScorePrunedShare(), e.fraction());
    }
}
