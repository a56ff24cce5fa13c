/**
 * Validated statements to optimized Calcite logical plans: conversion, sub-query removal and
 * decorrelation, pushdown, join ordering, trimming, constant folding.
 */
package dev.duet.planner.convert;
