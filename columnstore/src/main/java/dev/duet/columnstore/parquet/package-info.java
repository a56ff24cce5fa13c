/**
 * Arrow batches to and from Parquet files, for every Duet type: {@link
 * dev.duet.columnstore.parquet.ParquetBatchWriter} and {@link
 * dev.duet.columnstore.parquet.ParquetBatchReader}. Files use Parquet's standard logical types (see
 * {@link dev.duet.columnstore.parquet.ParquetTypes}) so that DuckDB, pyarrow and Spark read them;
 * the writer encodes pages itself, column at a time from the Arrow buffers, and leaves page
 * headers, indexes and the footer to parquet-java's {@code ParquetFileWriter}; the reader decodes
 * PLAIN pages itself and others through parquet-java's column API, without per-value objects on
 * Duet's side. Files are reached through {@code LocalInputFile}/{@code LocalOutputFile}, never
 * through Hadoop's {@code FileSystem}.
 */
package dev.duet.columnstore.parquet;
