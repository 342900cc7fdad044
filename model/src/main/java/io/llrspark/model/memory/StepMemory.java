package io.llrspark.model.memory;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scratch memory for what a training step, and each iteration of a projected ascent (attacks, inner maximizations),
 * allocates outside DL4J's own workspaces: the passes' logits and gradients, perturbations, the objectives'
 * arithmetic. Without it those arrays are ordinary off-heap allocations that live until the garbage collector finds
 * their small Java wrappers, which with a quiet heap takes tens of seconds: a process (an executor) grew by gigabytes,
 * and every fresh buffer cost page faults. In workspaces the same memory serves every step, and every iteration.
 *
 * <p>Nothing allocated in a scope may be kept after it: whatever outlives a step (batch statistics kept across
 * passes, cached masks, the gradient the updater applies) is made with {@code scopeOutOfWorkspaces} or copied into
 * memory the network owns before the step closes; what outlives an iteration (δ, an optimizer's moments) is allocated
 * before the loop and updated in place.
 */
public final class StepMemory {
    public static final String STEP = "LLR_TRAINING_STEP";
    public static final String ITERATION = "LLR_ASCENT_ITERATION";
    /** Learns its size from the first use, grows when a later one needs more, starts over at each. */
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.2)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private StepMemory() {
    }

    /** Opens one step's scratch memory; the caller must be outside any workspace and close it when the step ends. */
    public static MemoryWorkspace open() {
        MemoryWorkspace current = Nd4j.getMemoryManager().getCurrentWorkspace();
        if (current != null) {
            throw new IllegalStateException("A training step's memory must be opened outside any workspace, not in "
                    + current.getId());
        }
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, STEP);
    }

    /**
     * Opens one iteration's scratch memory, inside a step's or outside any workspace (an attack): a projected ascent
     * would otherwise hold every iteration's arrays until its step ends.
     */
    public static MemoryWorkspace iteration() {
        MemoryWorkspace current = Nd4j.getMemoryManager().getCurrentWorkspace();
        if (current != null && !STEP.equals(current.getId())) {
            throw new IllegalStateException("An ascent iteration's memory must be opened in a step's or outside any "
                    + "workspace, not in " + current.getId());
        }
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, ITERATION);
    }

    /**
     * Where a pass puts what it returns, from inside DL4J's workspaces: the innermost open scratch memory (an
     * iteration's, else the step's), or ordinary memory outside both (evaluation's own arithmetic, tests).
     */
    public static MemoryWorkspace results() {
        String scratch = innermostOpen();
        return scratch == null ? Nd4j.getMemoryManager().scopeOutOfWorkspaces()
                : Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(scratch).notifyScopeBorrowed();
    }

    /**
     * The array itself outside scratch memory; inside it, a copy in the scratch memory, the original freed at once
     * (call in {@link #results()}).
     */
    public static INDArray keep(INDArray ordinary) {
        if (innermostOpen() == null) {
            return ordinary;
        }
        INDArray copy = ordinary.dup();
        ordinary.close();
        return copy;
    }

    /** The id of the innermost scratch memory open on this thread, or null. */
    private static String innermostOpen() {
        for (String id : new String[]{ITERATION, STEP}) {
            if (Nd4j.getWorkspaceManager().checkIfWorkspaceExistsAndActive(id)) {
                return id;
            }
        }
        return null;
    }
}
