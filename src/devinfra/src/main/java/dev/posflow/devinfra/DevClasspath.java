package dev.posflow.devinfra;

/** Tells whether the optional dev-infrastructure libraries are present. */
final class DevClasspath {

    private DevClasspath() {
    }

    /**
     * True when the class can be loaded. The embedded servers come from provided-scope dependencies that exist only
     * on the dev-mode and test class paths.
     */
    static boolean has(String className) {
        try {
            Class.forName(className, false, DevClasspath.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
