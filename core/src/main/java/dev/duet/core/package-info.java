/**
 * Duet's public contracts: SQL types and values, the row and key encodings, the catalog, errors
 * with SQLSTATE codes. Depends on Arrow only; must not import any other Duet module.
 */
package dev.duet.core;
