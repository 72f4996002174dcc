package dev.kcovexplorer.app.model.report;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.PointCoverage;
import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.io.IOException;
import java.io.Writer;

/**
 * syzkaller's {@code rawcover}: the covered call-site PCs (hit points; candidate tail calls are not
 * certain and are left out), sorted and unique, {@code 0x}-hex, one per line — what {@code syz-cover} reads.
 */
public final class RawCover {
    private RawCover() {
    }

    public static void write(Coverage coverage, Writer out) throws IOException {
        KernelIndex index = coverage.layout().index();
        PointCoverage points = coverage.points();
        for (int p = points.nextHit(0); p >= 0; p = points.nextHit(p + 1)) {
            out.write("0x" + Long.toHexString(index.pointAddress(p)) + "\n");
        }
        out.flush();
    }
}
