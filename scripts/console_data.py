#!/usr/bin/env python3
"""Test data for scripts/bench-console.sh, the same on every run (fixed seeds).

  console_data.py tags IDS_FILE OUT.csv
      One tag per ID (IDS_FILE: one per line, from `tagtool id new`), as `tagtool tags import` reads them: names of
      a town's street furniture ("Arrêt Gare du Nord 123", "Banc Rue du Marché 45"), an address with street, number,
      post code and commune, a `url` target.
  console_data.py scans SQLITE_PATH TIMEZONE
      Straight into an existing registry: every tag scanned on 1–16 (mean 8) random local days of the last 90, by QR
      (85 % of those days) and/or NFC (40 %), 1–40 scans a row and a few hundred busy tags with more; plus a print
      binding for every tag, as `tagtool qr batch` records it (batches of 1,000, printed 5–400 days ago).
      Prints "scan_rows scans print_bindings".
"""
import datetime
import random
import sqlite3
import sys
import zoneinfo

STOPS = ["Gare du Nord", "Gare Centrale", "Gare du Midi", "Gare de Schaerbeek", "Gare d'Etterbeek", "Bourse",
         "Porte de Namur", "Place Flagey", "Montgomery", "Merode", "Schuman", "Arts-Loi", "Madou", "Rogier",
         "De Brouckère", "Sainte-Catherine", "Louise", "Horta", "Albert", "Vanderkindere", "Cimetière d'Ixelles",
         "Delta", "Beaulieu", "Heysel", "Simonis", "Ribaucourt", "Yser", "Clemenceau", "Comte de Flandre", "Parc"]
STREETS = ["Rue du Marché", "Rue du Midi", "Rue du Trône", "Rue du Bailli", "Rue du Page", "Rue du Prince Royal",
           "Rue de la Loi", "Rue de la Paix", "Rue des Sols", "Rue Haute", "Rue Neuve", "Rue Royale",
           "Rue Belliard", "Rue de Namur", "Rue des Bouchers", "Rue Dansaert", "Rue Blaes", "Rue de Flandre",
           "Avenue Louise", "Avenue de Tervueren", "Avenue Brugmann", "Avenue Molière", "Avenue du Parc",
           "Boulevard Anspach", "Boulevard Lemonnier", "Boulevard du Jardin Botanique", "Boulevard de Waterloo",
           "Chaussée de Wavre", "Chaussée d'Ixelles", "Chaussée de Charleroi", "Chaussée de Waterloo",
           "Place Sainte-Catherine", "Place du Jeu de Balle", "Place Fernand Cocq", "Place Stéphanie",
           "Quai aux Briques", "Quai du Commerce", "Grand-Place", "Mont des Arts", "Square Ambiorix"]
COMMUNES = [("1000", "Bruxelles"), ("1050", "Ixelles"), ("1060", "Saint-Gilles"), ("1040", "Etterbeek"),
            ("1030", "Schaerbeek"), ("1080", "Molenbeek-Saint-Jean"), ("1190", "Forest"), ("1180", "Uccle"),
            ("1210", "Saint-Josse-ten-Noode"), ("1070", "Anderlecht")]
FURNITURE = ["Banc", "Poubelle", "Borne vélo", "Lampadaire", "Fontaine", "Panneau d'information", "Abri vélo",
             "Parking", "Bulle à verre", "Plaine de jeux"]


def tags(ids_path, out_path):
    rng = random.Random(20261130)
    ids = [line.strip() for line in open(ids_path) if line.strip()]
    with open(out_path, "w", newline="") as out:
        out.write("id,name,url,address\n")
        for n, tag_id in enumerate(ids):
            street = rng.choice(STREETS)
            number = rng.randint(1, 250)
            postcode, commune = rng.choice(COMMUNES)
            kind = rng.random()
            if kind < 0.35:  # a stop: the sticker's number along the line
                name = f"Arrêt {rng.choice(STOPS)} {rng.randint(1, 400)}"
                url = f"https://transit.example.org/stops/{n}"
            elif kind < 0.80:
                name = f"{rng.choice(FURNITURE)} {street} {number}"
                url = f"https://town.example.org/mobilier/{n}"
            else:
                name = f"{street} {number}"
                url = f"https://town.example.org/lieux/{n}"
            address = f"{street} {number}, {postcode} {commune}"
            # No field holds a comma except the address, quoted; no field holds a quote.
            out.write(f'{tag_id},{name},{url},"{address}"\n')


def scans(db_path, timezone):
    rng = random.Random(90)
    today = datetime.datetime.now(zoneinfo.ZoneInfo(timezone)).date()
    days = [(today - datetime.timedelta(days=offset)).isoformat() for offset in range(90)]
    db = sqlite3.connect(db_path)
    tag_ids = [row[0] for row in db.execute("SELECT id FROM tags ORDER BY id")]
    busy = set(rng.sample(tag_ids, 300))
    rows, total = [], 0
    for tag_id in tag_ids:
        for day in rng.sample(days, rng.randint(1, 16)):
            channels = [c for c, p in (("qr", 0.85), ("nfc", 0.40)) if rng.random() < p] or ["qr"]
            for channel in channels:
                count = rng.randint(1, 40) * (25 if tag_id in busy else 1)
                rows.append((tag_id, day, channel, count))
                total += count
    now_ms = int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)
    bindings = []
    for batch, start in enumerate(range(0, len(tag_ids), 1000)):
        printed = now_ms - rng.randint(5, 400) * 86_400_000
        bindings += [(tag_id, f"batch-{batch:03d}", printed) for tag_id in tag_ids[start:start + 1000]]
    with db:
        db.executemany("INSERT INTO scan_counts (tag_id, day, channel, count) VALUES (?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO bindings (tag_id, kind, batch_id, created_at) VALUES (?, 'print', ?, ?)", bindings)
        # The dashboard's summaries, as the resolver's scan flushes keep them.
        db.execute("DELETE FROM scan_day_totals")
        db.execute("INSERT INTO scan_day_totals (day, channel, count) "
                   "SELECT day, channel, SUM(count) FROM scan_counts GROUP BY day, channel")
        db.execute("DELETE FROM scan_last_days")
        db.execute("INSERT INTO scan_last_days (tag_id, day) SELECT tag_id, MAX(day) FROM scan_counts GROUP BY tag_id")
    db.close()
    print(len(rows), total, len(bindings))


if __name__ == "__main__":
    if sys.argv[1:2] == ["tags"] and len(sys.argv) == 4:
        tags(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["scans"] and len(sys.argv) == 4:
        scans(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
