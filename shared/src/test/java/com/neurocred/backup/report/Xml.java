package com.neurocred.backup.report;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The report's markup parsed strictly, as XML: a tag left open or a character left unescaped fails the parse. */
final class Xml {
    private Xml() {
    }

    static Document parse(String markup) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        // The page starts with <!DOCTYPE html>: allowed, but nothing is fetched for it.
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(markup)));
    }

    static List<Element> elements(Document document, String tag) {
        return elements(document.getDocumentElement(), tag);
    }

    static List<Element> elements(Element within, String tag) {
        NodeList nodes = within.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        if (within.getTagName().equals(tag)) {
            elements.add(within);
        }
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    static List<String> classes(Element element) {
        return List.of(element.getAttribute("class").split(" "));
    }
}
