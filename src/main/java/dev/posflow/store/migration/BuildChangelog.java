package dev.posflow.store.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The change sets of this build's changelog, read with the JDK's StAX parser instead of Liquibase: knowing them costs
 * a few milliseconds, while starting Liquibase only to learn that nothing is pending cost 0.5-0.8 s of every start
 * (docs/performance.md, "What Liquibase's check of an up-to-date schema costs at start").
 */
final class BuildChangelog {

    private BuildChangelog() {
    }

    /**
     * The change sets of the classpath changelog at {@code path}, or empty when only Liquibase can tell what an update
     * would do: a change set that runs always or on change, an include, or a changelog that is not on the classpath.
     */
    static Optional<List<ChangeSetId>> changeSets(String path) {
        try (InputStream in = BuildChangelog.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return Optional.empty();
            }
            return changeSets(in, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<List<ChangeSetId>> changeSets(InputStream changelog, String path) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        List<ChangeSetId> changeSets = new ArrayList<>();
        try {
            XMLStreamReader xml = factory.createXMLStreamReader(changelog);
            while (xml.hasNext()) {
                if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (xml.getLocalName()) {
                    case "changeSet" -> {
                        if (isTrue(xml, "runAlways") || isTrue(xml, "runOnChange")) {
                            return Optional.empty();
                        }
                        changeSets.add(new ChangeSetId(xml.getAttributeValue(null, "id"),
                                xml.getAttributeValue(null, "author"), path));
                    }
                    case "include", "includeAll" -> {
                        return Optional.empty();
                    }
                    default -> {
                    }
                }
            }
        } catch (XMLStreamException e) {
            // Liquibase will report what is wrong with it
            return Optional.empty();
        }
        return Optional.of(List.copyOf(changeSets));
    }

    private static boolean isTrue(XMLStreamReader xml, String attribute) {
        return "true".equalsIgnoreCase(xml.getAttributeValue(null, attribute));
    }
}
