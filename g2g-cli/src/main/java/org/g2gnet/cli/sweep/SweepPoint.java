package org.g2gnet.cli.sweep;

import java.math.BigDecimal;
import java.util.Locale;

import org.g2gnet.cli.compare.CompareModel;

/**
 * One (model, density, training-set share, seed) of a sweep.
 *
 * @param model    the model (dense, dense-matched, er, g2g-mixer, g2g-mixer-dst)
 * @param density  the sparse models' density (dense-matched: the density it matches; dense: 1)
 * @param fraction share of the training pool trained on
 * @param seed     the seed
 */
public record SweepPoint(CompareModel model, double density, double fraction, long seed) {

    /** @return the run's directory name, e.g. g2g-mixer-d0.1-f1-s2 (dense: dense-f1-s2) */
    public String dirName() {
        String d = model == CompareModel.DENSE ? "" : "-d" + number(density);
        return model.id() + d + "-f" + number(fraction) + "-s" + seed;
    }

    /** @return a short label for progress lines */
    public String label() {
        return String.format(Locale.ROOT, "%s%s, %s%% of the training images, seed %d", model.id(),
                model == CompareModel.DENSE ? "" : " at density " + number(density), number(100 * fraction), seed);
    }

    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
