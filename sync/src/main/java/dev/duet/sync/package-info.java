/**
 * Sync: tails the row store's committed changes in commit order and applies them to the column
 * store, advancing its watermark. Depends on {@code rowstore} and {@code columnstore}.
 */
package dev.duet.sync;
