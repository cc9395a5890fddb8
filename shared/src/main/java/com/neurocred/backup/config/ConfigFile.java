package com.neurocred.backup.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings from a file, for commands that run where the environment is not ours to set: PostgreSQL
 * runs {@code archive_command} and {@code restore_command} with the server's environment. The file
 * holds the same variables as the environment, one {@code NAME=value} a line, in the shell's
 * env-file form: {@code #} comments, an optional {@code export}, values optionally in single or
 * double quotes (no expansion).
 */
public final class ConfigFile {
    private static final Pattern LINE = Pattern.compile("(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*)");

    private ConfigFile() {
    }

    /** @throws ConfigException naming the file and every line that could not be read */
    public static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of("config file " + file + " could not be read (" + e.getMessage()
                    + "): give a readable file of NAME=value lines, readable by the user the command runs as"));
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                problems.add(file + " line " + (i + 1) + ": expected NAME=value");
                continue;
            }
            values.put(m.group(1), unquote(m.group(2).strip()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
