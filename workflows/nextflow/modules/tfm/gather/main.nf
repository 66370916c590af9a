// nf-core-style module: gather shard tables in shard order into one table, keeping the header
// line of the first shard only (every shard has the header; see tfm-seed(1), Sharding).
// tables: the shard files in shard order (plain or gzip).
process TFM_GATHER {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "tfm:0.2.0"   // packaging/Dockerfile; Bioconda's biocontainer once the recipe is in

    input:
    tuple val(meta), path(tables)

    output:
    tuple val(meta), path("*.tsv"), emit: table
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    first=1
    for f in ${tables.join(' ')}; do
        if [ \$first = 1 ]; then gzip -dcf \$f; first=0; else gzip -dcf \$f | tail -n +2; fi
    done > ${prefix}.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        gzip: \$(gzip --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        gzip: \$(gzip --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """
}
