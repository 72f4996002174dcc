package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.modules.SessionModules;

import java.util.Arrays;

/**
 * Which image each function of a layout has code in: {@value #KERNEL}, a module's name, or several
 * (a header's inline helper compiled into vmlinux and into a module is one function of both), in the
 * session's module order after the kernel. What the Functions window's Module column says.
 */
public final class FunctionImages {
    /** How the kernel image itself is named beside its modules. */
    public static final String KERNEL = "vmlinux";

    private FunctionImages() {
    }

    /** Per function of {@code layout}, the images its points lie in ("vmlinux", "usbcore", "vmlinux, usbcore"). */
    public static String[] of(CoverageLayout layout, SessionModules modules) {
        String[] names = new String[layout.functionCount()];
        if (modules.isEmpty()) {
            Arrays.fill(names, KERNEL);
            return names;
        }
        int images = modules.modules().size() + 1;
        long[] seen = new long[layout.functionCount() * ((images + 63) / 64)];
        int words = (images + 63) / 64;
        Csr pointFunctions = layout.pointFunctionsTable();
        for (int p = 0; p < layout.pointCount(); p++) {
            String module = modules.moduleAt(layout.index().pointAddress(p));
            int image = module == null ? 0 : 1 + modules.indexOf(module);
            for (int f : pointFunctions.row(p)) {
                seen[f * words + image / 64] |= 1L << (image % 64);
            }
        }
        for (int f = 0; f < names.length; f++) {
            StringBuilder text = new StringBuilder();
            for (int image = 0; image < images; image++) {
                if ((seen[f * words + image / 64] & (1L << (image % 64))) != 0) {
                    text.append(text.length() == 0 ? "" : ", ")
                            .append(image == 0 ? KERNEL : modules.modules().get(image - 1).name());
                }
            }
            names[f] = text.toString();
        }
        return names;
    }
}
