package com.neurocred.backup.cli;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** The report's HTML, parsed strictly (as XML: a tag left open or text left unescaped fails), and looked into. */
final class ReportPage {
    private final Document document;

    private ReportPage(Document document) {
        this.document = document;
    }

    static ReportPage parse(String html) throws ParserConfigurationException, IOException, SAXException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        return new ReportPage(factory.newDocumentBuilder().parse(new InputSource(new StringReader(html))));
    }

    /** Elements by tag name, in document order. */
    List<Element> all(String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    /** The chart of a figure, by its {@code data-figure}. */
    Element chart(String figure) {
        return all("svg").stream().filter(s -> figure.equals(s.getAttribute("data-figure"))).findFirst()
                .orElseThrow(() -> new AssertionError("no chart of " + figure));
    }

    /** The points a chart draws: circles for full backups, squares for base backups. */
    static List<Element> points(Element chart) {
        List<Element> points = new ArrayList<>();
        for (String tag : new String[] {"circle", "rect"}) {
            NodeList nodes = chart.getElementsByTagName(tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                Element e = (Element) nodes.item(i);
                if (classes(e).contains("point")) {
                    points.add(e);
                }
            }
        }
        return points;
    }

    static List<String> classes(Element e) {
        return List.of(e.getAttribute("class").split(" "));
    }

    /** Elements of {@code tag} whose {@code attribute} is {@code value}. */
    List<Element> with(String tag, String attribute, String value) {
        return all(tag).stream().filter(e -> value.equals(e.getAttribute(attribute))).toList();
    }

    String text() {
        return document.getDocumentElement().getTextContent();
    }
}
