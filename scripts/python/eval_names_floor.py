#!/usr/bin/env python3
"""The tag floor and lift of playlist names, measured (not a test).

For every (source, tag) pair of a labelled set, the tag's mean probability over the
source's clips, its lift (that mean minus the mean over the other clips), and how well
the tag separates the source from the rest (AUC of the clips' probabilities). Prints,
for a grid of floors and lifts, how many pairs would qualify to name a playlist that is
the source and the share of them that separate it (AUC >= 0.75). TagNamer's
minimumProbability and minimumLift were chosen on the eval set's DEV half and reported
on its TEST half (scripts/eval-playlists' halves).

    songatlas analyze DEV_FOLDER --embedding mtt --format json -q > dev.json
    scripts/python/eval_names_floor.py dev.json eval-audio/labels.csv
"""
import json,os,csv,sys
labels = {r['path']: r['label'] for r in csv.DictReader(open(sys.argv[2]))}
d=json.load(open(sys.argv[1]))['tracks']
X=[];Y=[]
for t in d:
    if t.get('tags'): X.append({x['tag']:x['probability'] for x in t['tags']}); Y.append(labels[os.path.basename(t['path'])])
tags=sorted(X[0]); srcs=sorted(set(Y))
def auc(pos,neg):
    return sum(1 if p>n else 0.5 if p==n else 0 for p in pos for n in neg)/(len(pos)*len(neg))
rows=[]
for s in srcs:
    inn=[i for i,y in enumerate(Y) if y==s]; out=[i for i,y in enumerate(Y) if y!=s]
    for tg in tags:
        mi=sum(X[i][tg] for i in inn)/len(inn); mo=sum(X[i][tg] for i in out)/len(out)
        rows.append((mi,mi-mo,auc([X[i][tg] for i in inn],[X[i][tg] for i in out])))
print(f"{len(X)} clips, {len(srcs)} sources")
for f in [0.05,0.075,0.1,0.15]:
    for l in [0.03,0.05,0.075]:
        b=[r for r in rows if r[0]>=f and r[1]>=l]
        print(f"floor {f:<5} lift {l:<5}: {len(b):3} (source, tag) pairs qualify, {sum(r[2]>=0.75 for r in b)/max(len(b),1):.2f} separate the source (AUC >= 0.75)")
