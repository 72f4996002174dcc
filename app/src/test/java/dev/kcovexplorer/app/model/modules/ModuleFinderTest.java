package dev.kcovexplorer.app.model.modules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Modules below a --modules directory: by name, - and _ alike, compressed or not, links to directories not followed. */
class ModuleFinderTest {
    @TempDir
    Path dir;

    private Path file(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, relative);
    }

    @Test
    void findsInstalledBuildTreeAndDebugPackageSpellings() throws IOException {
        Path root = dir.resolve("lib/modules/6.1.0-kcov");
        Path usbcore = file("lib/modules/6.1.0-kcov/kernel/drivers/usb/core/usbcore.ko.xz");
        Path vhost = file("lib/modules/6.1.0-kcov/kernel/drivers/vhost/vhost.ko");
        Path hda = file("lib/modules/6.1.0-kcov/kernel/sound/pci/hda/snd-hda-intel.ko.zst");
        Path storage = file("lib/modules/6.1.0-kcov/kernel/drivers/usb/storage/usb-storage.ko.gz");
        file("lib/modules/6.1.0-kcov/kernel/drivers/usb/core/usbcore.mod.c");
        file("lib/modules/6.1.0-kcov/modules.dep");
        ModuleFinder finder = ModuleFinder.scan(root);
        assertThat(finder.find("usbcore")).contains(usbcore);
        assertThat(finder.find("vhost")).contains(vhost);
        assertThat(finder.find("snd_hda_intel")).contains(hda);
        assertThat(finder.find("snd-hda-intel")).contains(hda);
        assertThat(finder.find("usb_storage")).contains(storage);
        assertThat(finder.find("vhost_net")).isEmpty();
        assertThat(finder.describeMissing("vhost-net"))
                .isEqualTo("module vhost_net: no vhost_net.ko (or .ko.xz, .ko.zst, .ko.gz; - and _ alike) below " + root);
    }

    @Test
    void linksToDirectoriesAreNotFollowed() throws IOException {
        Path root = dir.resolve("installed");
        Path vhost = file("installed/kernel/drivers/vhost/vhost.ko");
        file("source-tree/drivers/vhost/vhost.ko");
        Files.createSymbolicLink(root.resolve("build"), dir.resolve("source-tree"));
        assertThat(ModuleFinder.scan(root).find("vhost")).contains(vhost);
    }

    @Test
    void severalFilesOfOneNameAreRefusedNotGuessed() throws IOException {
        file("tree/kernel/drivers/vhost/vhost.ko");
        file("tree/updates/dkms/vhost.ko.xz");
        ModuleFinder finder = ModuleFinder.scan(dir.resolve("tree"));
        assertThatThrownBy(() -> finder.find("vhost")).isInstanceOf(IOException.class)
                .hasMessage("module vhost: 2 files below " + dir.resolve("tree") + " match (kernel/drivers/vhost/vhost.ko,"
                        + " updates/dkms/vhost.ko.xz); pass a --modules directory that holds one");
    }

    @Test
    void theDirectoryMustExistAndBeOne() throws IOException {
        assertThatThrownBy(() -> ModuleFinder.scan(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
        Path plain = file("plain.ko");
        assertThatThrownBy(() -> ModuleFinder.scan(plain)).hasMessageContaining(plain + ": not a directory");
    }
}
