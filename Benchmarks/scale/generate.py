"""Synthetic MovieLens-shaped data for the scale curve: movies.csv and ratings.csv in the
ml-latest layout, with the shape of the real thing — film popularity Zipf-distributed (s = 1),
user activity heavy-tailed, ratings on the 0.5–5 half-star scale with MovieLens's skew towards
3–4, timestamps spread over 1996–2020. Deterministic for a seed.

    python generate.py RATINGS DIR [SEED]

Sizes follow ml-25m's proportions: one user per ~150 ratings, one film per ~400.
"""
import bisect
import itertools
import os
import random
import sys


def main():
    ratings = int(sys.argv[1])
    directory = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261206)
    users = max(1, ratings // 150)
    films = max(1, ratings // 400)
    os.makedirs(directory, exist_ok=True)
    genres = ["Action", "Adventure", "Comedy", "Drama", "Horror", "Romance", "Sci-Fi", "Thriller", "Documentary"]
    with open(os.path.join(directory, "movies.csv"), "w") as out:
        out.write("movieId,title,genres\n")
        for film in range(1, films + 1):
            year = 1920 + film % 101
            kinds = "|".join(sorted(set(rng.choice(genres) for _ in range(1 + film % 3))))
            out.write(f"{film},Film {film} ({year}),{kinds}\n")
    film_weights = list(itertools.accumulate(1.0 / rank for rank in range(1, films + 1)))
    user_weights = list(itertools.accumulate(1.0 / (rank ** 0.7) for rank in range(1, users + 1)))
    scale = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]
    scale_weights = list(itertools.accumulate([1, 3, 2, 7, 5, 20, 13, 27, 9, 13]))
    start, end = 820454400, 1609459200  # 1996-01-01 .. 2021-01-01
    with open(os.path.join(directory, "ratings.csv"), "w") as out:
        out.write("userId,movieId,rating,timestamp\n")
        lines = []
        for _ in range(ratings):
            user = bisect.bisect(user_weights, rng.random() * user_weights[-1]) + 1
            film = bisect.bisect(film_weights, rng.random() * film_weights[-1]) + 1
            value = scale[bisect.bisect(scale_weights, rng.random() * scale_weights[-1])]
            lines.append(f"{min(user, users)},{min(film, films)},{value},{rng.randrange(start, end)}\n")
            if len(lines) == 100_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)
    print(f"{ratings} ratings of {films} films by {users} users in {directory}")


if __name__ == "__main__":
    main()
