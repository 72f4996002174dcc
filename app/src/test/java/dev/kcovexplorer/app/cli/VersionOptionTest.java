package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** {@code --version} names the reactor's version: the packages are named after it, so they must agree. */
class VersionOptionTest {

    @Test
    void versionIsTheMavenProjectVersion() throws Exception {
        // The root pom, read as XML: surefire runs in the app module's folder.
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("..", "pom.xml").toFile());
        String expected = pom.getElementsByTagName("version").item(0).getTextContent();
        assertThat(pom.getDocumentElement().getElementsByTagName("version").item(0).getParentNode())
                .isSameAs(pom.getDocumentElement());

        CliRunner.Result result = CliRunner.run("--version");

        assertThat(result.status()).isZero();
        assertThat(result.out().strip()).isEqualTo("kcov-explorer " + expected);
    }
}
