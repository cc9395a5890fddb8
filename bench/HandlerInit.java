import java.lang.management.ManagementFactory;

/**
 * Times a Lambda handler's init as the Java runtime does it: from JVM start to a constructed handler
 * (class loading, configuration, AWS clients; the functions build their services in the constructor).
 * Prints the milliseconds. Used by bench/cold-start.sh.
 */
public final class HandlerInit {
    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println(ms + " " + handler.getClass().getSimpleName());
    }
}
