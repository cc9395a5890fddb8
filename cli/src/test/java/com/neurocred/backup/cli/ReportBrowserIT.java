package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.testing.Processes.Outcome;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a reader opens it: rendered in headless Chromium, it loads with no console message and sends no
 * request. With {@code -Dreport.screenshot=FILE} the rendering of the sample data is kept there (the README's
 * screenshot is made so: see the README's Development section).
 */
class ReportBrowserIT {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 2600;

    @TempDir
    Path dir;

    @Test
    void report_should_renderOfflineInABrowser_withNoConsoleMessageAndNoRequest() throws Exception {
        Path backups = Files.createDirectories(dir.resolve("backups"));
        new ReportSampleData(Instant.now()).writeTo(backups);
        Path html = dir.resolve("report.html");
        Outcome run = Scripts.run(Map.of(BackupConfig.BACKUP_DIR, backups.toString()), "neurocred-backup", "report",
                ReportSampleData.ENVIRONMENT.id(), "--html", html.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();

        HeadlessChromium.Rendering page = HeadlessChromium.render(html, dir.resolve("report.png"), WIDTH, HEIGHT);

        assertThat(page.consoleMessages()).as(page.log()).isEmpty();
        assertThat(page.pageRequests()).as(String.join("\n", page.requests())).isEmpty();
        BufferedImage image = ImageIO.read(page.screenshot().toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(distinctColours(image)).as("a page drawn, not a blank one").isGreaterThan(20);
        String keep = System.getProperty("report.screenshot", "");
        if (!keep.isBlank()) {
            Path target = Scripts.ROOT.resolve(keep);
            Files.createDirectories(target.getParent());
            Files.copy(page.screenshot(), target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The checks above can fail: a page that loads something is seen doing so, by the proxy and on the console. */
    @Test
    void browserCheck_should_seeARequestAndAConsoleMessage_when_aPageLoadsSomething() throws Exception {
        Path open = dir.resolve("fetches.html");
        Files.writeString(open, "<!DOCTYPE html><html><body><img src=\"http://report.invalid/logo.png\"/></body></html>");
        Path locked = dir.resolve("blocked.html");
        Files.writeString(locked, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                + "content=\"default-src 'none'\"/></head><body><img src=\"http://report.invalid/logo.png\"/></body></html>");

        HeadlessChromium.Rendering fetches = HeadlessChromium.render(open, dir.resolve("fetches.png"), 400, 300);
        HeadlessChromium.Rendering blocked = HeadlessChromium.render(locked, dir.resolve("blocked.png"), 400, 300);

        assertThat(fetches.pageRequests()).as(fetches.log()).anyMatch(r -> r.contains("report.invalid"));
        assertThat(blocked.consoleMessages()).as(blocked.log()).anyMatch(m -> m.contains("Content Security Policy"));
        assertThat(blocked.pageRequests()).isEmpty();
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
