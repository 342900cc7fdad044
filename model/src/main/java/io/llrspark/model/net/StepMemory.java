package io.llrspark.model.net;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scratch memory for everything one training step allocates outside DL4J's own workspaces: the passes' logits and
 * gradients, the perturbations and the objectives' arithmetic. Without it those arrays are ordinary off-heap
 * allocations that live until the garbage collector finds their small Java wrappers, which with a quiet heap takes
 * tens of seconds: the process (an executor) grew by gigabytes, and every fresh buffer cost page faults. In a
 * workspace the same memory is reused by every step.
 *
 * <p>Nothing allocated while a step is open may be kept after it: whatever outlives the step (batch statistics kept
 * across passes, cached masks, the gradient the updater applies) is created with
 * {@link org.nd4j.linalg.api.memory.MemoryWorkspaceManager}'s {@code scopeOutOfWorkspaces} or copied into memory the
 * network owns before the step closes.
 */
public final class StepMemory {
    static final String ID = "LLR_TRAINING_STEP";
    /** Learns its size from the first step, grows when a later step needs more, and starts over at each step. */
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
        if (Nd4j.getMemoryManager().getCurrentWorkspace() != null) {
            throw new IllegalStateException("A training step's memory must be opened outside any workspace, not in "
                    + Nd4j.getMemoryManager().getCurrentWorkspace().getId());
        }
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, ID);
    }

    /**
     * Where a pass puts what it returns, from inside DL4J's workspaces: the open step's memory, or, outside a step
     * (evaluation, tests), ordinary memory.
     */
    static MemoryWorkspace results() {
        if (Nd4j.getWorkspaceManager().checkIfWorkspaceExistsAndActive(ID)) {
            return Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(ID).notifyScopeBorrowed();
        }
        return Nd4j.getMemoryManager().scopeOutOfWorkspaces();
    }

    /**
     * The array itself outside a step; inside one, a copy in the step's memory, the original freed at once (call in
     * {@link #results()}).
     */
    static INDArray keep(INDArray ordinary) {
        if (!Nd4j.getWorkspaceManager().checkIfWorkspaceExistsAndActive(ID)) {
            return ordinary;
        }
        INDArray copy = ordinary.dup();
        ordinary.close();
        return copy;
    }
}
