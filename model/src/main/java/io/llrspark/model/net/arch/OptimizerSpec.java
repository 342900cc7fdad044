package io.llrspark.model.net.arch;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the network's weights move: Adam, or SGD with Nesterov momentum (DL4J has no plain-momentum updater), a
 * learning rate multiplied by {@code decayFactor} at each boundary iteration, and L2 weight decay (weight-decay·w added
 * to the gradient of every weight; biases and batch-normalization parameters are not decayed). Part of the saved
 * network configuration, so a resumed run continues the same schedule.
 */
public record OptimizerSpec(String kind, double learningRate, double momentum, double weightDecay,
                            List<Long> boundaries, double decayFactor) implements Serializable {
    public static final String ADAM = "adam";
    public static final String NESTEROV = "nesterov";

    public OptimizerSpec {
        boundaries = List.copyOf(boundaries);
    }

    public static OptimizerSpec adam(double learningRate) {
        return new OptimizerSpec(ADAM, learningRate, 0, 0, List.of(), 1);
    }

    public IUpdater updater() {
        ISchedule schedule = schedule();
        return switch (kind) {
            case ADAM -> schedule == null ? new Adam(learningRate) : new Adam(schedule);
            case NESTEROV -> schedule == null ? new Nesterovs(learningRate, momentum) : new Nesterovs(schedule, momentum);
            default -> throw new IllegalArgumentException("Unknown optimizer '" + kind + "': expected " + ADAM + " or "
                    + NESTEROV);
        };
    }

    /** The learning rate at {@code iteration} (what the updater's schedule gives). */
    public double learningRateAt(long iteration) {
        double lr = learningRate;
        for (long b : boundaries) {
            if (iteration >= b) {
                lr *= decayFactor;
            }
        }
        return lr;
    }

    private ISchedule schedule() {
        if (boundaries.isEmpty()) {
            return null;
        }
        Map<Integer, Double> values = new HashMap<>();
        values.put(0, learningRate);
        for (long b : boundaries) {
            values.put(Math.toIntExact(b), learningRateAt(b));
        }
        return new MapSchedule(ScheduleType.ITERATION, values);
    }
}
