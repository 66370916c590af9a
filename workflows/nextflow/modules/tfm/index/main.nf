// nf-core-style module: BGZF copy of a transcript FASTA with its faidx index (.fai, .gzi) for --pairs lookups (tfm-index).
process TFM_INDEX {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "tfm:0.2.0"   // packaging/Dockerfile; Bioconda's biocontainer once the recipe is in

    input:
    tuple val(meta), path(transcripts)

    output:
    tuple val(meta), path("*.fa.gz"), path("*.{fai,gzi}"), emit: indexed
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    tfm-index -o ${prefix}.fa.gz ${transcripts}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-index: \$(tfm-index --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    echo | gzip > ${prefix}.fa.gz
    touch ${prefix}.fa.gz.fai ${prefix}.fa.gz.gzi
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-index: \$(tfm-index --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """
}
