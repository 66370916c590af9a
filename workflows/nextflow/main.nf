#!/usr/bin/env nextflow
// tfm on a transcriptome with Nextflow: scatter the work into params.shards shards
// (tfm-seed --shard K/N), run tfm-seed -> tfm-score -> tfm-aggregate per shard, gather the
// shards in order. The gathered table equals the unsharded pipeline byte for byte.
//
//   nextflow run workflows/nextflow/main.nf --shards 8 --mirnas mirnas.fa --transcripts utrs.fa.gz \
//       --model TargetNet.pt --mode esa
//   nextflow run workflows/nextflow/main.nf -stub-run          # wiring only, no tfm tools needed
//   nextflow run workflows/nextflow/main.nf -profile slurm     # one SLURM job per task
nextflow.enable.dsl = 2

include { TFM_INDEX     } from './modules/tfm/index/main'
include { TFM_SEED      } from './modules/tfm/seed/main'
include { TFM_SCORE     } from './modules/tfm/score/main'
include { TFM_AGGREGATE } from './modules/tfm/aggregate/main'
include { TFM_GATHER    } from './modules/tfm/gather/main'

workflow {
    def n = params.shards as int
    if (n < 1) error "--shards must be at least 1, not ${params.shards}"
    def mirnas      = file(params.mirnas, checkIfExists: true)
    def transcripts = file(params.transcripts, checkIfExists: true)
    def pairs       = params.pairs ? file(params.pairs, checkIfExists: true) : []
    def model       = file(params.model, checkIfExists: true)

    // id-only pairs: a BGZF copy with a faidx index, so each shard fetches its transcripts by id
    if (params.pairs && params.index) {
        TFM_INDEX(Channel.of([[id: params.id], transcripts]))
        ch_transcripts = TFM_INDEX.out.indexed.map { meta, fa, idx -> [fa, idx] }
        ch_versions = TFM_INDEX.out.versions
    } else {
        ch_transcripts = Channel.value([transcripts, []])
        ch_versions = Channel.empty()
    }

    // scatter: one TFM_SEED task per shard; meta carries shard and nshards
    ch_shards = Channel.of(1..n)
        .combine(ch_transcripts)
        .map { k, fa, idx -> [[id: "${params.id}.shard${k}", shard: k, nshards: n], mirnas, fa, idx] }

    TFM_SEED(ch_shards, pairs)
    TFM_SCORE(TFM_SEED.out.sites, model)
    TFM_AGGREGATE(TFM_SCORE.out.scores)

    // gather: the shard tables in shard order
    TFM_GATHER(
        TFM_AGGREGATE.out.pairs
            .toSortedList { a, b -> a[0].shard <=> b[0].shard }
            .map { list -> [[id: params.id], list.collect { it[1] }] }
    )

    // versions: every task writes a versions.yml, so N shards give N identical files per process;
    // .unique() on the files themselves keeps all N (each is a distinct path), so compare their
    // text: one entry per process and tool, sorted, whatever order the tasks finished in
    ch_versions
        .mix(TFM_SEED.out.versions, TFM_SCORE.out.versions, TFM_AGGREGATE.out.versions, TFM_GATHER.out.versions)
        .map { f -> f.text }
        .unique()
        .collectFile(name: 'versions.yml', storeDir: "${params.outdir}/pipeline_info", sort: true)
}
