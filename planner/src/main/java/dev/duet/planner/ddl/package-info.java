/** CREATE / DROP statements as descriptors of names and Duet types, for the engine to apply to the catalog. */
package dev.duet.planner.ddl;
