package dev.posflow.sampling;

import java.awt.GraphicsEnvironment;
import java.awt.MouseInfo;
import java.awt.PointerInfo;
import java.util.Optional;

import org.jboss.logging.Logger;

/** The real mouse pointer, where the JVM has a display; without one it says so once and yields nothing. */
public class MousePointerSource implements PositionSource {

    private static final Logger LOG = Logger.getLogger(MousePointerSource.class);

    private final boolean headless;

    public MousePointerSource() {
        this.headless = GraphicsEnvironment.isHeadless();
        if (headless) {
            LOG.warn("posflow.sampler.source=pointer, but this JVM has no display (headless): no samples will be "
                    + "taken. Run where a display exists, or choose posflow.sampler.source=simulated or off.");
        }
    }

    @Override
    public Optional<Point> current() {
        if (headless) {
            return Optional.empty();
        }
        // null when the pointer is on no screen of this machine (e.g. a remote session)
        PointerInfo pointer = MouseInfo.getPointerInfo();
        return pointer == null ? Optional.empty()
                : Optional.of(new Point(pointer.getLocation().x, pointer.getLocation().y));
    }
}
