/**
 * The MVCC row store: tables of versioned rows keyed by primary key, secondary indexes of versioned
 * entries (rebuilt on open), snapshot-isolation transactions, the write-ahead log ({@code wal}), checkpoints (a Chronicle Map of every row, then deltas of the changes), and recovery.
 * Depends on {@code core} and Chronicle Map; must not import planner, engine or any higher module.
 */
package dev.duet.rowstore;
