/* The peer of Loom's gradient all-reduce: a plain C program that all-reduces (in place, MPI_SUM) a float
   buffer of the same size, the same number of times, under the same mpirun flags. Prints the same line. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  long count = argc > 1 ? atol(argv[1]) : 11689512; /* ResNet-18's parameters */
  int iterations = argc > 2 ? atoi(argv[2]) : 20;
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  float *buffer = malloc(count * sizeof(float));
  for (long i = 0; i < count; i++) buffer[i] = rank + 1;
  double *times = malloc(iterations * sizeof(double));
  for (int i = 0; i < iterations + 3; i++) {
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    MPI_Allreduce(MPI_IN_PLACE, buffer, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    double ms = (MPI_Wtime() - start) * 1e3;
    if (i >= 3) times[i - 3] = ms;
  }
  qsort(times, iterations, sizeof(double), compare);
  double median = times[iterations / 2];
  long bytes = count * (long)sizeof(float);
  if (rank == 0)
    printf("raw bytes=%ld median_ms=%.2f min_ms=%.2f max_ms=%.2f GBps=%.3f\n", bytes, median, times[0],
           times[iterations - 1], bytes / median / 1e6);
  MPI_Finalize();
  free(times);
  free(buffer);
  return 0;
}
