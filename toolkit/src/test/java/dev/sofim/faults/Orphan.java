package dev.sofim.faults;

import dev.sofim.sweep.ParentWatch;

/** A stand-in worker: watches the process named in its argument, then waits as a training cell would. */
public final class Orphan {
    private Orphan() {
    }

    public static void main(String[] args) throws InterruptedException {
        ParentWatch.watch(args[0]);
        System.out.println("watching");
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(0);
    }
}
