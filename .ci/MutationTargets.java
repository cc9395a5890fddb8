import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Holds PIT's report to issue 18's targets: at least 85 % of all mutants killed, at least 95 % in the classes
 * that guard psql (the lexer and the meta-command filter) and in the WAL and retention arithmetic. PIT itself
 * only knows one threshold for the whole run, hence this check. Run with the JDK alone (no build):
 *
 * <pre>java .ci/MutationTargets.java shared/target/pit-reports/mutations.xml</pre>
 *
 * It prints every class's score, worst first, and exits 1 when a target is missed.
 */
public class MutationTargets {
    static final double OVERALL = 85.0;
    static final double STRICT = 95.0;
    static final List<String> STRICT_CLASSES = List.of(
            "com.neurocred.backup.dumpformat.PsqlLexer",
            "com.neurocred.backup.dumpformat.PlainDumpScanner",
            "com.neurocred.backup.wal.WalFileName",
            "com.neurocred.backup.wal.WalSequence",
            "com.neurocred.backup.wal.Lsn",
            "com.neurocred.backup.retention.RetentionPlanner");

    public static void main(String[] args) throws Exception {
        File report = new File(args.length > 0 ? args[0] : "shared/target/pit-reports/mutations.xml");
        if (!report.isFile()) {
            System.err.println(report + " not found: run mvn -B -pl shared test-compile "
                    + "org.pitest:pitest-maven:mutationCoverage first");
            System.exit(2);
        }
        Map<String, int[]> byClass = tally(report);
        int killed = 0;
        int total = 0;
        boolean missed = false;
        for (Map.Entry<String, int[]> e : byClass.entrySet().stream()
                .sorted((a, b) -> Double.compare(percent(a.getValue()), percent(b.getValue()))).toList()) {
            int[] c = e.getValue();
            killed += c[0];
            total += c[1];
            boolean strict = STRICT_CLASSES.contains(e.getKey());
            boolean below = strict && percent(c) < STRICT;
            missed |= below;
            System.out.printf("%6.1f %%  %4d/%-4d  %s%s%n", percent(c), c[0], c[1], e.getKey(),
                    strict ? (below ? "   BELOW the 95 % target" : "   (target 95 %)") : "");
        }
        for (String strict : STRICT_CLASSES) {
            if (!byClass.containsKey(strict)) {
                System.out.println("no mutants reported for " + strict + ": it left the run's targets");
                missed = true;
            }
        }
        double overall = 100.0 * killed / Math.max(total, 1);
        boolean overallBelow = overall < OVERALL;
        System.out.printf("%6.1f %%  %4d/%-4d  all classes (target 85 %%)%s%n", overall, killed, total,
                overallBelow ? "   BELOW" : "");
        System.exit(missed || overallBelow ? 1 : 0);
    }

    /** Killed and generated mutants per outer class; a mutant PIT detected (killed or timed out) counts as killed. */
    static Map<String, int[]> tally(File report) throws Exception {
        NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report)
                .getElementsByTagName("mutation");
        Map<String, int[]> byClass = new TreeMap<>();
        for (int i = 0; i < mutations.getLength(); i++) {
            Element m = (Element) mutations.item(i);
            String cls = m.getElementsByTagName("mutatedClass").item(0).getTextContent().split("\\$")[0];
            int[] c = byClass.computeIfAbsent(cls, k -> new int[2]);
            c[1]++;
            if ("true".equals(m.getAttribute("detected"))) {
                c[0]++;
            }
        }
        return byClass;
    }

    static double percent(int[] c) {
        return 100.0 * c[0] / Math.max(c[1], 1);
    }
}
