package dev.kcovexplorer.symbolizer.external;

import dev.kcovexplorer.symbolizer.Frame;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GNU {@code addr2line -afi}: per address an {@code 0x…} line, then a function line and a
 * {@code file:line} line per frame, innermost first. No columns (0) and no linkage names.
 */
final class Addr2lineProcess extends ExternalSymbolizerProcess {
    Addr2lineProcess(String executable, Path binary, long sentinel) throws IOException {
        super(List.of(executable, "-a", "-f", "-i", "-e", binary.toString()), sentinel);
    }

    @Override
    protected void readBatch(long[] addresses, List<List<Frame>> out) throws IOException {
        String header = readLine();
        for (long address : addresses) {
            expectAddress(header, address);
            List<Frame> frames = new ArrayList<>(1);
            while (true) {
                String line = readLine();
                if (line.startsWith("0x")) {
                    header = line;
                    break;
                }
                addFrame(frames, line, readLine());
            }
            out.add(frames);
        }
        expectAddress(header, sentinel);
        // The sentinel lies outside every section: exactly one "??" / "??:0" pair follows.
        readLine();
        readLine();
    }

    private static void expectAddress(String header, long address) throws IOException {
        if (!header.startsWith("0x") || Long.parseUnsignedLong(header.substring(2), 16) != address) {
            throw new IOException("lost track of the answers: expected 0x" + Long.toHexString(address) + ", got "
                    + header);
        }
    }

    private static void addFrame(List<Frame> frames, String functionLine, String locationLine) {
        String location = locationLine;
        int discriminator = location.indexOf(" (discriminator ");
        if (discriminator >= 0) {
            location = location.substring(0, discriminator);
        }
        int colon = location.lastIndexOf(':');
        String file = known(colon < 0 ? location : location.substring(0, colon));
        int line = 0;
        if (colon >= 0) {
            try {
                line = Integer.parseInt(location.substring(colon + 1));
            } catch (NumberFormatException e) {
                line = 0; // "?" when the line is unknown
            }
        }
        String function = known(functionLine);
        if (function != null || file != null) {
            frames.add(new Frame(function, null, file, line, 0));
        }
    }
}
